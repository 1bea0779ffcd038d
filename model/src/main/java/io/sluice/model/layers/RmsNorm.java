package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.io.WeightSource;
import java.util.Map;

/** RMSNorm: {@code x / sqrt(mean(x²) + eps) * weight}; weight: (H). */
public final class RmsNorm {
  private final String name;
  private final NDArray weight; // (H)
  private final float eps;

  public RmsNorm(String name, int hidden, double eps, WeightSource source, NDManager manager) {
    this.name = name;
    this.weight = source.take(name + ".weight", new Shape(hidden), WeightSource.Init.ONES, manager);
    this.eps = (float) eps;
  }

  /** x: (..., H) → (..., H). NDArray has no rsqrt, so pow(-0.5). */
  public NDArray forward(NDArray x) {
    NDArray inverseRms =
        x.square().mean(new int[] {-1}, true).add(eps).pow(Scalars.of(x, -0.5f)); // (..., 1)
    return x.mul(inverseRms).mul(weight);
  }

  public void collect(Map<String, NDArray> out) {
    out.put(name + ".weight", weight);
  }
}
