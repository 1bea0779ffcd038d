package io.sluice.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

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
   * <p>Inverted dropout keeps each input value with probability 1 − p and scales it by 1 / (1 − p);
   * the scale is folded into {@code scaling} (B·A is linear), so the only extra tensor autograd
   * keeps is the 0/1 mask, one byte per value.
   *
   * @param random the run's own generator for the dropout mask: libtorch's dropout would draw
   *     from the process-wide generator, which another thread's run shares
   */
  NDArray delta(NDArray x, boolean training, SplittableRandom random) {
    boolean drop = training && dropout > 0;
    NDArray input = drop ? x.mul(dropoutMask(x.getShape(), x, random)) : x;
    float scale = drop ? scaling / (1 - dropout) : scaling;
    NDArray low = input.getNDArrayInternal().linear(input, loraA, null).singletonOrThrow(); // (..., r)
    return low.getNDArrayInternal().linear(low, loraB, null).singletonOrThrow().mul(scale); // (..., out)
  }

  /** A 0/1 mask of {@code shape} as booleans: torch promotes x·mask to x's type. */
  private NDArray dropoutMask(Shape shape, NDArray x, SplittableRandom random) {
    double keep = 1 - dropout;
    boolean[] mask = new boolean[Math.toIntExact(shape.size())];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextDouble() < keep;
    }
    return x.getManager().create(mask, shape);
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
