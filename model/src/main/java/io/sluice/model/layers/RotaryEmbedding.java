package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.LlamaConfig;

/**
 * Rotary position embedding in HF's "rotate half" layout: dimension i pairs with i + d/2, both
 * turned by angle {@code pos · f_i} with {@code f_i = θ^(-2i/d)}, adjusted by the config's {@link
 * RopeScaling} (Llama 3.1's per-frequency rule, or linear).
 *
 * <p>The cos/sin tables are computed once in double precision for every position the config allows;
 * a forward pass only slices them. The sine table holds {@code −sin} in its first half, so rotating
 * needs no negation: {@code x·cos + [x2, x1]·[−sin, sin]}.
 */
public final class RotaryEmbedding {
  private final NDArray cos; // (P, d)
  private final NDArray signedSin; // (P, d): [−sin, sin]
  private final int headDim;
  private final int maxPositions;

  public RotaryEmbedding(LlamaConfig config, NDManager manager) {
    headDim = config.headDim();
    maxPositions = config.maxPositionEmbeddings();
    int half = headDim / 2;
    float[] cosTable = new float[maxPositions * headDim];
    float[] sinTable = new float[maxPositions * headDim];
    double[] inverseFrequencies =
        config.ropeScaling().inverseFrequencies(config.ropeTheta(), headDim); // (d/2)
    for (int p = 0; p < maxPositions; p++) {
      for (int i = 0; i < half; i++) {
        double angle = p * inverseFrequencies[i];
        cosTable[p * headDim + i] = cosTable[p * headDim + i + half] = (float) Math.cos(angle);
        sinTable[p * headDim + i] = (float) -Math.sin(angle);
        sinTable[p * headDim + i + half] = (float) Math.sin(angle);
      }
    }
    cos = manager.create(cosTable, new Shape(maxPositions, headDim));
    signedSin = manager.create(sinTable, new Shape(maxPositions, headDim));
  }

  /** x: (B, heads, T, d) at absolute positions [start, start + T) → same shape, rotated. */
  public NDArray apply(NDArray x, int start) {
    return apply(x, start, 1f);
  }

  /**
   * {@link #apply(NDArray, int)} times {@code factor}. Attention folds its 1/√d into the (T, d)
   * tables this way: scaling the scores instead would be a pass over (B, heads, T, S).
   */
  public NDArray apply(NDArray x, int start, float factor) {
    int length = Math.toIntExact(x.getShape().get(2));
    if (start + length > maxPositions) {
      throw new IllegalArgumentException(
          "sequence reaches position "
              + (start + length)
              + " but max_position_embeddings is "
              + maxPositions);
    }
    NDIndex window = new NDIndex("{}:{}", start, start + length);
    NDArray c = cos.get(window); // (T, d)
    NDArray s = signedSin.get(window); // (T, d)
    if (factor != 1f) {
      c = c.mul(factor);
      s = s.mul(factor);
    }
    int half = headDim / 2;
    NDArray first = x.get(new NDIndex("..., :{}", half)); // (B, h, T, d/2)
    NDArray second = x.get(new NDIndex("..., {}:", half)); // (B, h, T, d/2)
    NDArray swapped = NDArrays.concat(new NDList(second, first), -1); // (B, h, T, d)
    return x.mul(c).addi(swapped.muli(s));
  }
}
