package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.sluice.model.LlamaConfig;
import io.sluice.model.io.WeightSource;
import java.util.List;
import java.util.Map;

/**
 * Grouped-query causal self-attention ({@code self_attn.q_proj/k_proj/v_proj/o_proj}).
 *
 * <p>Query heads are grouped by the key/value head they share and the matmul broadcasts over the
 * group, so keys and values are never copied {@code queryGroups} times.
 */
public final class Attention {
  private final Linear qProj; // (nH·d, H)
  private final Linear kProj; // (nKv·d, H)
  private final Linear vProj; // (nKv·d, H)
  private final Linear oProj; // (H, nH·d)
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final float scale;

  Attention(String prefix, LlamaConfig config, WeightSource source, NDManager manager) {
    heads = config.numAttentionHeads();
    kvHeads = config.numKeyValueHeads();
    headDim = config.headDim();
    scale = (float) (1.0 / Math.sqrt(headDim));
    int h = config.hiddenSize();
    boolean bias = config.attentionBias();
    qProj = new Linear(prefix + ".q_proj", h, heads * headDim, bias, source, manager);
    kProj = new Linear(prefix + ".k_proj", h, kvHeads * headDim, bias, source, manager);
    vProj = new Linear(prefix + ".v_proj", h, kvHeads * headDim, bias, source, manager);
    oProj =
        new Linear(prefix + ".o_proj", heads * headDim, h, config.outputBias(), source, manager);
  }

  /**
   * x: (B, T, H) at positions [start, start + T) → (B, T, H).
   *
   * @param mask additive (T, S) causal mask, or null when T = 1 (one query sees every key)
   * @param cache this layer's cache entry is extended with the new keys/values; null in training
   */
  public NDArray forward(
      NDArray x,
      RotaryEmbedding rope,
      int start,
      NDArray mask,
      KvCache cache,
      int layer,
      Adaptation adaptation,
      boolean training) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray q =
        qProj
            .forward(x, adaptation, training)
            .reshape(b, t, heads, headDim)
            .transpose(0, 2, 1, 3); // (B, nH, T, d)
    NDArray k =
        kProj
            .forward(x, adaptation, training)
            .reshape(b, t, kvHeads, headDim)
            .transpose(0, 2, 1, 3); // (B, nKv, T, d)
    NDArray v =
        vProj
            .forward(x, adaptation, training)
            .reshape(b, t, kvHeads, headDim)
            .transpose(0, 2, 1, 3); // (B, nKv, T, d)
    q = rope.apply(q, start, scale); // queries carry the 1/√d of the scores
    k = rope.apply(k, start);
    if (cache != null) {
      NDList full = cache.append(layer, k, v);
      k = full.get(0); // (B, nKv, S, d)
      v = full.get(1); // (B, nKv, S, d)
    }
    long s = k.getShape().get(2);
    int groups = heads / kvHeads;
    // The query heads sharing a KV head are stacked along T, so one batched matmul per KV head
    // serves them all and K and V are neither copied nor broadcast.
    NDArray grouped = q.reshape(b, kvHeads, groups * t, headDim); // (B, nKv, g·T, d)
    NDArray scores = grouped.matMul(k.transpose(0, 1, 3, 2)); // (B, nKv, g·T, S)
    if (mask != null) {
      // not in place: writing through the reshaped view would make backward copy the scores
      scores = scores.reshape(b, kvHeads, groups, t, s).add(mask); // (B, nKv, g, T, S)
    }
    NDArray probs = scores.softmax(-1).reshape(b, kvHeads, groups * t, s); // (B, nKv, g·T, S)
    NDArray context = probs.matMul(v); // (B, nKv, g·T, d)
    NDArray merged =
        context.reshape(b, heads, t, headDim).transpose(0, 2, 1, 3).reshape(b, t, heads * headDim);
    return oProj.forward(merged, adaptation, training); // (B, T, H)
  }

  List<Linear> linears() {
    return List.of(qProj, kProj, vProj, oProj);
  }

  void collect(Map<String, NDArray> out) {
    linears().forEach(l -> l.collect(out));
  }
}
