package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.io.WeightSource;
import java.util.Map;

/**
 * A frozen-or-trainable projection {@code y = x Wᵀ (+ b)}.
 *
 * <p>weight: (out, in), HF layout; bias: (out) or absent. An adapter never lives inside the
 * projection: the {@link Adaptation} of each forward call decides what is added, so the base stays
 * immutable and shareable between threads.
 */
public final class Linear {
  private final String name;
  private final NDArray weight; // (out, in)
  private final NDArray bias; // (out) or null

  public Linear(
      String name, int in, int out, boolean withBias, WeightSource source, NDManager manager) {
    this.name = name;
    this.weight =
        source.take(name + ".weight", new Shape(out, in), WeightSource.Init.NORMAL, manager);
    this.bias =
        withBias
            ? source.take(name + ".bias", new Shape(out), WeightSource.Init.NORMAL, manager)
            : null;
  }

  /** x: (..., in) → (..., out) under {@code adaptation}. */
  public NDArray forward(NDArray x, Adaptation adaptation, boolean training) {
    return adaptation.project(this, x, training);
  }

  /** x: (..., in) → (..., out) through the base weights only. */
  public NDArray base(NDArray x) {
    return with(x, weight);
  }

  /** x: (..., in) → (..., out) through {@code replacement} (out, in) and this projection's bias. */
  public NDArray with(NDArray x, NDArray replacement) {
    return x.getNDArrayInternal().linear(x, replacement, bias).singletonOrThrow();
  }

  /** The HF module path, e.g. {@code model.layers.0.self_attn.q_proj}. */
  public String name() {
    return name;
  }

  public long inFeatures() {
    return weight.getShape().get(1);
  }

  public long outFeatures() {
    return weight.getShape().get(0);
  }

  public NDArray weight() {
    return weight;
  }

  public void collect(Map<String, NDArray> out) {
    out.put(name + ".weight", weight);
    if (bias != null) {
      out.put(name + ".bias", bias);
    }
  }
}
