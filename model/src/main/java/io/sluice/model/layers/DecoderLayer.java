package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sluice.model.LlamaConfig;
import io.sluice.model.io.WeightSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One pre-norm decoder layer {@code model.layers.{i}}. */
public final class DecoderLayer {
  private final RmsNorm inputLayernorm;
  private final Attention selfAttn;
  private final RmsNorm postAttentionLayernorm;
  private final Mlp mlp;
  private final int index;

  public DecoderLayer(int index, LlamaConfig config, WeightSource source, NDManager manager) {
    this.index = index;
    String prefix = "model.layers." + index;
    inputLayernorm =
        new RmsNorm(
            prefix + ".input_layernorm", config.hiddenSize(), config.rmsNormEps(), source, manager);
    selfAttn = new Attention(prefix + ".self_attn", config, source, manager);
    postAttentionLayernorm =
        new RmsNorm(
            prefix + ".post_attention_layernorm",
            config.hiddenSize(),
            config.rmsNormEps(),
            source,
            manager);
    mlp = new Mlp(prefix + ".mlp", config, source, manager);
  }

  /** x: (B, T, H) → (B, T, H). */
  public NDArray forward(
      NDArray x,
      RotaryEmbedding rope,
      int start,
      NDArray mask,
      KvCache cache,
      Adaptation adaptation,
      boolean training) {
    // attention sub-block with its residual
    NDArray h =
        x.add(
            selfAttn.forward(
                inputLayernorm.forward(x), rope, start, mask, cache, index, adaptation, training));
    // feed-forward sub-block with its residual
    return h.add(mlp.forward(postAttentionLayernorm.forward(h), adaptation, training));
  }

  public List<Linear> linears() {
    List<Linear> all = new ArrayList<>(selfAttn.linears());
    all.addAll(mlp.linears());
    return all;
  }

  public void collect(Map<String, NDArray> out) {
    inputLayernorm.collect(out);
    selfAttn.collect(out);
    postAttentionLayernorm.collect(out);
    mlp.collect(out);
  }
}
