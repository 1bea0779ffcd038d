package io.sluice.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.io.TinyTokenizer;

/** Tiny configs and helpers shared by the model tests. */
public final class TestModels {
  private TestModels() {}

  /** 2 layers, hidden 32, 4 query heads sharing 2 KV heads, byte-level vocab. */
  public static LlamaConfig tiny() {
    return LlamaConfig.of(32, 64, 2, 4, 2, TinyTokenizer.VOCAB_SIZE, 64);
  }

  /** Like {@link #tiny()} but with an untied LM head. */
  static LlamaConfig tinyUntied() {
    LlamaConfig c = tiny();
    return new LlamaConfig(
        c.hiddenSize(),
        c.intermediateSize(),
        c.numHiddenLayers(),
        c.numAttentionHeads(),
        c.numKeyValueHeads(),
        c.headDim(),
        c.rmsNormEps(),
        c.ropeTheta(),
        c.maxPositionEmbeddings(),
        c.vocabSize(),
        false,
        -1,
        java.util.List.of(),
        false);
  }

  public static LlamaModel random(LlamaConfig config, long seed) {
    return LlamaModel.random(config, seed, Device.cpu());
  }

  public static NDArray ids(NDManager manager, long[][] rows) {
    long[] flat = new long[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
    }
    return manager.create(flat, new Shape(rows.length, rows[0].length));
  }

  public static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
