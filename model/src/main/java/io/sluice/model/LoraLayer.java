package io.sluice.model;

import ai.djl.ndarray.NDArray;
import java.util.Random;

/**
 * The low-rank branch PEFT adds to one linear: {@code B(A(dropout(x))) · scaling}.
 *
 * <p>A: (r, in), Kaiming-uniform; B: (out, r), zeros, so a fresh adapter changes nothing.
 */
final class LoraLayer {
  private final NDArray loraA; // (r, in)
  private final NDArray loraB; // (out, r)
  private final float scaling;
  private final float dropout;

  LoraLayer(NDArray loraA, NDArray loraB, double scaling, double dropout) {
    this.loraA = loraA;
    this.loraB = loraB;
    this.scaling = (float) scaling;
    this.dropout = (float) dropout;
  }

  /**
   * x: (..., in) → (..., out).
   *
   * @param random the run's own generator for the dropout mask: libtorch's dropout would draw
   *     from the process-wide generator, which another thread's run shares
   */
  NDArray delta(NDArray x, boolean training, Random random) {
    NDArray input = training && dropout > 0 ? x.mul(dropoutMask(x, random)) : x;
    NDArray low = input.getNDArrayInternal().linear(input, loraA, null).singletonOrThrow(); // (..., r)
    return low.getNDArrayInternal().linear(low, loraB, null).singletonOrThrow().mul(scaling); // (..., out)
  }

  /** Inverted dropout: each value kept with probability 1 − p and scaled by 1 / (1 − p). */
  private NDArray dropoutMask(NDArray x, Random random) {
    float keep = 1 - dropout;
    float[] mask = new float[Math.toIntExact(x.getShape().size())];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextFloat() < keep ? 1 / keep : 0f;
    }
    return x.getManager().create(mask, x.getShape()).toType(x.getDataType(), false);
  }

  /** The dense update {@code scaling · B·A}: (out, in). */
  NDArray deltaWeight() {
    return loraB.matMul(loraA).mul(scaling);
  }

  NDArray loraA() {
    return loraA;
  }

  NDArray loraB() {
    return loraB;
  }
}
