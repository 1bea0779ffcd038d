package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import java.util.function.Supplier;

/**
 * What one forward pass applies on top of the frozen base projections: nothing, a LoRA adapter, or
 * an adapter's merged weights. The base model is shared and never changes; an adaptation is passed
 * per call, so one process can serve (and train) many adapters over one copy of the base, as LoRAX
 * and S-LoRA do.
 */
public interface Adaptation {

  /** The base model as it is. */
  Adaptation NONE = (linear, x, training) -> linear.base(x);

  /** The output of {@code linear} for x: (..., in) → (..., out). */
  NDArray project(Linear linear, NDArray x, boolean training);

  /**
   * Fixes the random draws (dropout) of one stretch of forward computation: every adaptation the
   * supplier returns draws the same masks in the same call order, so a recomputed layer (activation
   * checkpointing) sees exactly what its first pass saw. A deterministic adaptation supplies
   * itself.
   */
  default Supplier<Adaptation> replayable() {
    return () -> this;
  }
}
