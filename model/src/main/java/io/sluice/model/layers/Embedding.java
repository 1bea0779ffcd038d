package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.sluice.model.LlamaConfig;
import io.sluice.model.io.WeightSource;
import java.util.Map;

/** Token embedding {@code model.embed_tokens}: weight (vocab, hidden). */
public final class Embedding {
  private static final String NAME = "model.embed_tokens.weight";
  private final NDArray weight; // (V, H)

  public Embedding(LlamaConfig config, WeightSource source, NDManager manager) {
    weight =
        source.take(
            NAME,
            new Shape(config.vocabSize(), config.hiddenSize()),
            WeightSource.Init.NORMAL,
            manager);
  }

  /** ids: (B, T) int64 → (B, T, H). NDArray.take is a flat take, so this is torch's embedding. */
  public NDArray forward(NDArray ids) {
    return ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
  }

  public NDArray weight() {
    return weight;
  }

  public void collect(Map<String, NDArray> out) {
    out.put(NAME, weight);
  }
}
