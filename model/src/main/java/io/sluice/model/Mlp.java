package io.sluice.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.Map;

/** SwiGLU feed-forward: {@code down(silu(gate(x)) · up(x))}. */
public final class Mlp {
  private final Linear gateProj; // (I, H)
  private final Linear upProj; // (I, H)
  private final Linear downProj; // (H, I)

  Mlp(String prefix, LlamaConfig config, WeightSource source, NDManager manager) {
    int h = config.hiddenSize();
    int i = config.intermediateSize();
    gateProj = new Linear(prefix + ".gate_proj", h, i, false, source, manager);
    upProj = new Linear(prefix + ".up_proj", h, i, false, source, manager);
    downProj = new Linear(prefix + ".down_proj", i, h, false, source, manager);
  }

  /** x: (B, T, H) → (B, T, H). */
  public NDArray forward(NDArray x, Adaptation adaptation, boolean training) {
    NDArray gate = gateProj.forward(x, adaptation, training); // (B, T, I)
    NDArray activated = gate.mul(Activation.sigmoid(gate)); // silu
    return downProj.forward(activated.mul(upProj.forward(x, adaptation, training)), adaptation, training);
  }

  List<Linear> linears() {
    return List.of(gateProj, upProj, downProj);
  }

  void collect(Map<String, NDArray> out) {
    linears().forEach(l -> l.collect(out));
  }
}
