package io.sluice.model;

import ai.djl.ndarray.NDArray;
import java.util.function.BooleanSupplier;

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
  private final BooleanSupplier enabled;

  LoraLayer(NDArray loraA, NDArray loraB, double scaling, double dropout, BooleanSupplier enabled) {
    this.loraA = loraA;
    this.loraB = loraB;
    this.scaling = (float) scaling;
    this.dropout = (float) dropout;
    this.enabled = enabled;
  }

  boolean isEnabled() {
    return enabled.getAsBoolean();
  }

  /** x: (..., in) → (..., out). */
  NDArray delta(NDArray x, boolean training) {
    NDArray input = training && dropout > 0
        ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow()
        : x;
    NDArray low = input.getNDArrayInternal().linear(input, loraA, null).singletonOrThrow(); // (..., r)
    return low.getNDArrayInternal().linear(low, loraB, null).singletonOrThrow().mul(scaling); // (..., out)
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
