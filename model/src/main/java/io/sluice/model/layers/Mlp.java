package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sluice.model.LlamaConfig;
import io.sluice.model.io.WeightSource;
import java.util.List;
import java.util.Map;

/** Gated feed-forward: {@code down(act(gate(x)) · up(x))}; SwiGLU when act is SiLU. */
public final class Mlp {
  private final Linear gateProj; // (I, H)
  private final Linear upProj; // (I, H)
  private final Linear downProj; // (H, I)
  private final HiddenAct act;

  Mlp(String prefix, LlamaConfig config, WeightSource source, NDManager manager) {
    int h = config.hiddenSize();
    int i = config.intermediateSize();
    boolean bias = config.mlpBias();
    gateProj = new Linear(prefix + ".gate_proj", h, i, bias, source, manager);
    upProj = new Linear(prefix + ".up_proj", h, i, bias, source, manager);
    downProj = new Linear(prefix + ".down_proj", i, h, bias, source, manager);
    act = config.hiddenAct();
  }

  /** x: (B, T, H) → (B, T, H). */
  public NDArray forward(NDArray x, Adaptation adaptation, boolean training) {
    NDArray gate = gateProj.forward(x, adaptation, training); // (B, T, I)
    NDArray activated = act.apply(gate); // (B, T, I)
    return downProj.forward(
        activated.mul(upProj.forward(x, adaptation, training)), adaptation, training);
  }

  List<Linear> linears() {
    return List.of(gateProj, upProj, downProj);
  }

  void collect(Map<String, NDArray> out) {
    linears().forEach(l -> l.collect(out));
  }
}
