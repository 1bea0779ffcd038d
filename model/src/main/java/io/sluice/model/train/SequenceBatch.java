package io.sluice.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.io.TokenizedExample;
import java.util.List;

/**
 * Examples right-padded into next-token form: {@code inputs[t]} predicts {@code targets[t]}, and
 * {@code mask[t]} is 1 only where the target is an answer token. Right padding keeps every real
 * token at its true position, so the causal mask alone suffices.
 *
 * @param inputs (B, T) int64
 * @param targets (B, T) int64
 * @param mask (B, T) float32
 */
public record SequenceBatch(NDArray inputs, NDArray targets, NDArray mask, int tokens) {

  /** Pads to the longest example; {@code padId} fills positions the mask ignores. */
  public static SequenceBatch of(List<TokenizedExample> examples, long padId, NDManager manager) {
    int b = examples.size();
    int t = examples.stream().mapToInt(TokenizedExample::length).max().orElseThrow() - 1;
    long[] inputs = new long[b * t];
    long[] targets = new long[b * t];
    float[] mask = new float[b * t];
    java.util.Arrays.fill(inputs, padId);
    java.util.Arrays.fill(targets, padId);
    int tokens = 0;
    for (int i = 0; i < b; i++) {
      TokenizedExample ex = examples.get(i);
      long[] ids = ex.ids();
      for (int j = 0; j + 1 < ids.length; j++) {
        inputs[i * t + j] = ids[j];
        targets[i * t + j] = ids[j + 1];
        // the loss covers target j+1 when that token is trained
        mask[i * t + j] = ex.trained()[j + 1] ? 1f : 0f;
      }
      tokens += ids.length - 1;
    }
    Shape shape = new Shape(b, t);
    return new SequenceBatch(
        manager.create(inputs, shape),
        manager.create(targets, shape),
        manager.create(mask, shape),
        tokens);
  }
}
