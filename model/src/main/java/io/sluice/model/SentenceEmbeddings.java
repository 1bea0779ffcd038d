package io.sluice.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.sluice.model.layers.Adaptation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Text embeddings from a decoder, as SemDedup (Abbas et al. 2023) takes them: the mean of the final
 * (normed) hidden states over a sequence's tokens, L2-normalised, computed by the base model
 * without an adapter and without gradients. Sequences are sorted by length and right-padded in
 * batches; padding never reaches a real token (causal attention) and is left out of the mean.
 */
public final class SentenceEmbeddings {
  private SentenceEmbeddings() {}

  /**
   * @param sequences token ids, each at most {@code maxLength} (longer ones keep their first {@code
   *     maxLength} tokens)
   * @return one unit vector of the model's hidden size per sequence, in input order
   */
  public static float[][] meanPooled(
      LanguageModel lm, List<long[]> sequences, int batchSize, int maxLength) {
    if (batchSize < 1 || maxLength < 1) {
      throw new IllegalArgumentException(
          "batch size (" + batchSize + ") and max length (" + maxLength + ") must be positive");
    }
    List<long[]> clipped =
        sequences.stream()
            .map(ids -> ids.length > maxLength ? java.util.Arrays.copyOf(ids, maxLength) : ids)
            .toList();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < clipped.size(); i++) {
      if (clipped.get(i).length == 0) {
        throw new IllegalArgumentException("sequence " + i + " is empty");
      }
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> clipped.get(i).length));
    float[][] out = new float[clipped.size()][];
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (int from = 0; from < order.size(); from += batchSize) {
        List<Integer> chunk = order.subList(from, Math.min(order.size(), from + batchSize));
        float[][] vectors = batch(lm, chunk.stream().map(clipped::get).toList());
        for (int i = 0; i < chunk.size(); i++) {
          out[chunk.get(i)] = vectors[i];
        }
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    return out;
  }

  private static float[][] batch(LanguageModel lm, List<long[]> sequences) {
    int b = sequences.size();
    int t = sequences.get(sequences.size() - 1).length; // sorted: the last is the longest
    long[] ids = new long[b * t];
    float[] mask = new float[b * t];
    java.util.Arrays.fill(ids, lm.tokenizer().stopId());
    for (int i = 0; i < b; i++) {
      long[] s = sequences.get(i);
      System.arraycopy(s, 0, ids, i * t, s.length);
      java.util.Arrays.fill(mask, i * t, i * t + s.length, 1f);
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager manager = lm.model().manager();
      NDArray keep = manager.create(mask, new Shape(b, t, 1)); // (B, T, 1)
      NDArray hidden =
          lm.model()
              .hidden(manager.create(ids, new Shape(b, t)), null, Adaptation.NONE, false)
              .toType(DataType.FLOAT32, false); // (B, T, H)
      NDArray mean = hidden.mul(keep).sum(new int[] {1}).div(keep.sum(new int[] {1})); // (B, H)
      NDArray unit = mean.div(mean.norm(new int[] {1}, true).maximum(1e-12f)); // (B, H)
      long h = unit.getShape().get(1);
      float[] flat = unit.toFloatArray();
      float[][] out = new float[b][];
      for (int i = 0; i < b; i++) {
        out[i] = java.util.Arrays.copyOfRange(flat, (int) (i * h), (int) ((i + 1) * h));
      }
      return out;
    }
  }
}
