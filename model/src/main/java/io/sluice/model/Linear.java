package io.sluice.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * A frozen-or-trainable projection {@code y = x Wᵀ (+ b)} with an optional LoRA branch.
 *
 * <p>weight: (out, in), HF layout; bias: (out) or absent. LoRA is attached rather than wrapping
 * the block so that the parent keeps its HF child names and loading stays a name lookup.
 */
public final class Linear {
  private final String name;
  private NDArray weight; // (out, in)
  private final NDArray bias; // (out) or null
  private LoraLayer lora; // null unless an adapter targets this projection

  Linear(String name, int in, int out, boolean withBias, WeightSource source, NDManager manager) {
    this.name = name;
    this.weight = source.take(name + ".weight", new Shape(out, in), WeightSource.Init.NORMAL, manager);
    this.bias = withBias ? source.take(name + ".bias", new Shape(out), WeightSource.Init.NORMAL, manager) : null;
  }

  /** x: (..., in) → (..., out). */
  public NDArray forward(NDArray x, boolean training) {
    NDArray y = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    if (lora != null && lora.isEnabled()) {
      y = y.add(lora.delta(x, training));
    }
    return y;
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

  LoraLayer lora() {
    return lora;
  }

  void attach(LoraLayer layer) {
    this.lora = layer;
  }

  /** Installs {@code replacement} and returns the previous weight, still open. */
  NDArray swapWeight(NDArray replacement) {
    NDArray old = weight;
    weight = replacement;
    return old;
  }

  void collect(Map<String, NDArray> out) {
    out.put(name + ".weight", weight);
    if (bias != null) {
      out.put(name + ".bias", bias);
    }
  }
}
