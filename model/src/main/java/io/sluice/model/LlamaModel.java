package io.sluice.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.io.Safetensors;
import io.sluice.model.io.TensorData;
import io.sluice.model.io.WeightSource;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.DecoderLayer;
import io.sluice.model.layers.Embedding;
import io.sluice.model.layers.KvCache;
import io.sluice.model.layers.Linear;
import io.sluice.model.layers.RmsNorm;
import io.sluice.model.layers.RotaryEmbedding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Llama-family causal LM ({@code LlamaForCausalLM}): embedding → decoder layers → final norm → LM
 * head. Parameters carry their HF names, so a checkpoint loads by name lookup.
 *
 * <p>The model owns one {@link NDManager} on its device; every parameter lives there.
 */
public final class LlamaModel implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SINGLE_FILE = "model.safetensors";
  private static final String SHARD_INDEX = "model.safetensors.index.json";

  private final LlamaConfig config;
  private final NDManager manager;
  private final Embedding embedTokens;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final RmsNorm norm;
  private final Linear lmHead; // null when tied to the embedding
  private final RotaryEmbedding rope;

  private LlamaModel(LlamaConfig config, WeightSource source, NDManager manager) {
    this.config = config;
    this.manager = manager;
    embedTokens = new Embedding(config, source, manager);
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      layers.add(new DecoderLayer(i, config, source, manager));
    }
    norm = new RmsNorm("model.norm", config.hiddenSize(), config.rmsNormEps(), source, manager);
    lmHead =
        config.tieWordEmbeddings()
            ? null
            : new Linear(
                "lm_head", config.hiddenSize(), config.vocabSize(), false, source, manager);
    rope = new RotaryEmbedding(config, manager);
  }

  /** A seeded random model with the usual N(0, 0.02) initialisation (pretraining, benchmarks). */
  public static LlamaModel random(LlamaConfig config, long seed, Device device) {
    return random(config, seed, 0.02, device);
  }

  /** A seeded random model whose matrices start as N(0, std). */
  public static LlamaModel random(LlamaConfig config, long seed, double std, Device device) {
    NDManager manager = NDManager.newBaseManager(device);
    try {
      return new LlamaModel(config, WeightSource.random(seed, std), manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Loads an HF checkpoint directory: config.json plus model.safetensors or a sharded
   * model.safetensors.index.json. Every expected tensor must be present with its exact shape and no
   * unexpected tensor may remain.
   */
  public static LlamaModel load(Path dir, Device device) throws IOException {
    LlamaConfig config = LlamaConfig.read(dir.resolve("config.json"));
    Map<String, TensorData> tensors = readCheckpoint(dir);
    if (config.tieWordEmbeddings()) {
      // Some tied checkpoints also store the head; transformers ignores it, and so do we.
      tensors.remove("lm_head.weight");
    }
    // Older exports saved RoPE's inverse frequencies as buffers; they are derived from the config.
    tensors.keySet().removeIf(k -> k.endsWith(".rotary_emb.inv_freq"));
    WeightSource.Checkpoint source = WeightSource.checkpoint(tensors, dir.toString());
    NDManager manager = NDManager.newBaseManager(device);
    try {
      LlamaModel model = new LlamaModel(config, source, manager);
      source.requireAllTaken();
      return model;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static Map<String, TensorData> readCheckpoint(Path dir) throws IOException {
    Path single = dir.resolve(SINGLE_FILE);
    Path index = dir.resolve(SHARD_INDEX);
    if (Files.exists(single)) {
      return Safetensors.read(single);
    }
    if (!Files.exists(index)) {
      throw new ModelFormatException(dir + " has neither " + SINGLE_FILE + " nor " + SHARD_INDEX);
    }
    JsonNode weightMap;
    try {
      weightMap = JSON.readTree(Files.readString(index)).path("weight_map");
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(index + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!weightMap.isObject() || weightMap.isEmpty()) {
      throw new ModelFormatException(index + " has no weight_map");
    }
    TreeSet<String> shards = new TreeSet<>();
    weightMap.forEach(n -> shards.add(n.asText()));
    Map<String, TensorData> all = new LinkedHashMap<>();
    for (String shard : shards) {
      for (Map.Entry<String, TensorData> e : Safetensors.read(dir.resolve(shard)).entrySet()) {
        if (!shard.equals(weightMap.path(e.getKey()).asText())) {
          throw new ModelFormatException(
              "tensor '"
                  + e.getKey()
                  + "' is in "
                  + shard
                  + " but the index maps it to "
                  + weightMap.get(e.getKey()));
        }
        all.put(e.getKey(), e.getValue());
      }
    }
    return all;
  }

  /**
   * ids: (B, T) int64 at positions [cache.length(), +T) → logits (B, T, V).
   *
   * @param cache extended with this chunk's keys/values; null for a full, uncached pass
   * @param adaptation the adapter this call runs with ({@link Adaptation#NONE} for the base)
   * @param training enables LoRA dropout
   */
  public NDArray forward(NDArray ids, KvCache cache, Adaptation adaptation, boolean training) {
    return logits(hidden(ids, cache, adaptation, training));
  }

  /** ids: (B, T) → final-norm hidden states (B, T, H). */
  public NDArray hidden(NDArray ids, KvCache cache, Adaptation adaptation, boolean training) {
    int start = cache == null ? 0 : cache.length();
    int t = Math.toIntExact(ids.getShape().get(1));
    NDArray mask = t == 1 ? null : causalMask(ids.getManager(), start, t);
    NDArray x = embed(ids); // (B, T, H)
    for (int i = 0; i < layers.size(); i++) {
      NDArray in = x;
      int index = i;
      x = Scopes.keepOnly(() -> layer(index, in, start, mask, cache, adaptation, training));
    }
    return finalNorm(x);
  }

  /** ids: (B, T) int64 → token embeddings (B, T, H). */
  public NDArray embed(NDArray ids) {
    return embedTokens.forward(ids);
  }

  public int layerCount() {
    return layers.size();
  }

  /** Decoder layer {@code index}: x (B, T, H) at positions [start, start + T) → (B, T, H). */
  public NDArray layer(
      int index,
      NDArray x,
      int start,
      NDArray mask,
      KvCache cache,
      Adaptation adaptation,
      boolean training) {
    return layers.get(index).forward(x, rope, start, mask, cache, adaptation, training);
  }

  /** x: (B, T, H) → (B, T, H) through {@code model.norm}. */
  public NDArray finalNorm(NDArray x) {
    return norm.forward(x);
  }

  /** The LM head's weight (V, H): {@code lm_head}, or the embedding when tied. */
  public NDArray headWeight() {
    return lmHead != null ? lmHead.weight() : embedTokens.weight();
  }

  /** hidden: (B, T, H) → logits (B, T, V). */
  public NDArray logits(NDArray hidden) {
    return lmHead != null
        ? lmHead.base(hidden)
        : hidden.getNDArrayInternal().linear(hidden, embedTokens.weight(), null).singletonOrThrow();
  }

  /**
   * (T, S) additive mask, S = start + T: query i (absolute position start + i) may see key j only
   * when j ≤ start + i. NDArray has no triu, so it is built from aranges.
   */
  public static NDArray causalMask(NDManager manager, int start, int t) {
    NDArray keys = manager.arange(0, start + t).reshape(1, start + t); // (1, S)
    NDArray queries = manager.arange(start, start + t).reshape(t, 1); // (T, 1)
    return keys.gt(queries).toType(DataType.FLOAT32, false).mul(-1e9f); // (T, S)
  }

  public LlamaConfig config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  /** Base parameters by HF name, in module order. */
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    embedTokens.collect(out);
    layers.forEach(l -> l.collect(out));
    norm.collect(out);
    if (lmHead != null) {
      lmHead.collect(out);
    }
    return out;
  }

  /** Every linear projection inside the decoder layers (LoRA targets), in layer order. */
  public List<Linear> linears() {
    List<Linear> out = new ArrayList<>();
    layers.forEach(l -> out.addAll(l.linears()));
    return out;
  }

  /** Makes the base parameters trainable (pretraining) or frozen (LoRA). */
  public void setBaseTrainable(boolean trainable) {
    parameters().values().forEach(p -> p.setRequiresGradient(trainable));
  }

  /** Saves config.json and a float32 model.safetensors in HF layout. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), config.toJson());
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    parameters().forEach((name, array) -> tensors.put(name, toTensorData(array)));
    Safetensors.write(
        dir.resolve(SINGLE_FILE), tensors, Safetensors.DType.F32, Map.of("format", "pt"));
  }

  public static TensorData toTensorData(NDArray array) {
    Shape shape = array.getShape();
    return new TensorData(shape.getShape(), array.toType(DataType.FLOAT32, false).toFloatArray());
  }

  @Override
  public void close() {
    manager.close();
  }
}
