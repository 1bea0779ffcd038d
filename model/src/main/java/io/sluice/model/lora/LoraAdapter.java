package io.sluice.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.LlamaModel;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.io.Safetensors;
import io.sluice.model.io.TensorData;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A LoRA adapter for a {@link LlamaModel}, saved and loaded in Hugging Face PEFT's format
 * (adapter_config.json + adapter_model.safetensors) so PEFT, vLLM and LoRAX serve what Sluice
 * trains.
 *
 * <p>The adapter is its own object: passing it to a forward call applies it, and the base model is
 * never modified, so any number of adapters (and threads) can share one base. Closing the adapter
 * frees its arrays only.
 */
public final class LoraAdapter implements Adaptation, AutoCloseable {
  public static final String CONFIG_FILE = "adapter_config.json";
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";
  private static final String PEFT_PREFIX = "base_model.model.";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoraConfig config;
  private final NDManager manager;
  private final Map<String, Linear> targets = new LinkedHashMap<>();
  private final Map<String, LoraLayer> layers = new LinkedHashMap<>();
  private final Random dropoutRandom;

  private LoraAdapter(LlamaModel model, LoraConfig config, long seed) {
    this.config = config;
    this.dropoutRandom = new Random(seed);
    for (Linear linear : model.linears()) {
      if (config.targets(linear.name())) {
        targets.put(linear.name(), linear);
      }
    }
    if (targets.isEmpty()) {
      throw new ModelFormatException(
          "target_modules " + config.targetModules() + " match no linear module of the base model");
    }
    this.manager = model.manager().newSubManager();
  }

  /** A fresh adapter: A Kaiming-uniform (PEFT's a=√5 gives bound 1/√in), B zeros. */
  public static LoraAdapter create(LlamaModel model, LoraConfig config, long seed) {
    LoraAdapter adapter = new LoraAdapter(model, config, seed);
    Random random = new Random(seed);
    for (Linear linear : adapter.targets.values()) {
      int in = Math.toIntExact(linear.inFeatures());
      double bound = 1.0 / Math.sqrt(in);
      float[] a = new float[config.r() * in];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
      }
      NDArray loraA = adapter.owned(a, new Shape(config.r(), in));
      NDArray loraB = adapter.manager.zeros(new Shape(linear.outFeatures(), config.r()));
      adapter.attach(linear, loraA, loraB);
    }
    return adapter;
  }

  /**
   * Loads a PEFT adapter directory onto {@code model}. Keys that match no module, missing A/B
   * halves and shapes that do not fit the base all fail: a silently ignored adapter serves the base
   * model under the adapter's name.
   */
  public static LoraAdapter load(LlamaModel model, Path dir) throws IOException {
    LoraConfig config = readConfig(dir.resolve(CONFIG_FILE));
    Map<String, TensorData> tensors = Safetensors.read(dir.resolve(WEIGHTS_FILE));
    LoraAdapter adapter = new LoraAdapter(model, config, 0);
    try {
      Map<String, Linear> byName = new LinkedHashMap<>();
      model.linears().forEach(l -> byName.put(l.name(), l));
      for (String key : tensors.keySet()) {
        String module = moduleOf(key);
        if (module == null || !byName.containsKey(module)) {
          throw new ModelFormatException(
              dir + ": adapter key '" + key + "' matches no module of the base model");
        }
        if (!adapter.targets.containsKey(module)) {
          throw new ModelFormatException(
              dir
                  + ": adapter key '"
                  + key
                  + "' is outside target_modules "
                  + config.targetModules());
        }
      }
      for (Linear linear : adapter.targets.values()) {
        NDArray a =
            adapter.take(
                tensors, dir, linear, "lora_A", new Shape(config.r(), linear.inFeatures()));
        NDArray b =
            adapter.take(
                tensors, dir, linear, "lora_B", new Shape(linear.outFeatures(), config.r()));
        adapter.attach(linear, a, b);
      }
      return adapter;
    } catch (RuntimeException e) {
      adapter.close();
      throw e;
    }
  }

  private NDArray take(
      Map<String, TensorData> tensors, Path dir, Linear linear, String half, Shape shape) {
    String key = PEFT_PREFIX + linear.name() + "." + half + ".weight";
    TensorData t = tensors.get(key);
    if (t == null) {
      throw new ModelFormatException(
          dir + ": adapter is missing '" + key + "' for target module " + linear.name());
    }
    if (!java.util.Arrays.equals(t.shape(), shape.getShape())) {
      throw new ModelFormatException(
          dir
              + ": adapter tensor '"
              + key
              + "' has shape "
              + java.util.Arrays.toString(t.shape())
              + " but r="
              + config.r()
              + " on this base needs "
              + shape);
    }
    return owned(t.data(), shape);
  }

  /**
   * {@code data} copied into memory libtorch allocated. DJL wraps Java data without copying it, in
   * a buffer the JVM aligns to 16 bytes where libtorch aligns to 64: the same product could then
   * round differently from one adapter to the next (BLAS kernels may take another path for another
   * alignment), so two runs that compute the same thing need not agree to the last bit. And the
   * Java buffer is freed by the garbage collector once its array is closed, even while libtorch
   * still holds a view of it.
   */
  private NDArray owned(float[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  /** "base_model.model.X.lora_A.weight" → "X"; null when the key is not a LoRA weight. */
  private static String moduleOf(String key) {
    if (!key.startsWith(PEFT_PREFIX)) {
      return null;
    }
    for (String suffix : List.of(".lora_A.weight", ".lora_B.weight")) {
      if (key.endsWith(suffix)) {
        return key.substring(PEFT_PREFIX.length(), key.length() - suffix.length());
      }
    }
    return null;
  }

  static LoraConfig readConfig(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ModelFormatException("no " + CONFIG_FILE + " at " + file);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(file + " must hold a JSON object");
    }
    if (!"LORA".equals(root.path("peft_type").asText())) {
      throw new ModelFormatException(
          file + ": peft_type must be LORA but is " + root.get("peft_type"));
    }
    if (!root.path("bias").asText("none").equals("none")) {
      throw new ModelFormatException(
          file + ": only bias \"none\" is supported, got " + root.get("bias"));
    }
    JsonNode saved = root.get("modules_to_save");
    if (saved != null && !saved.isNull() && !saved.isEmpty()) {
      throw new ModelFormatException(file + ": modules_to_save " + saved + " is not supported");
    }
    JsonNode targetsNode = root.path("target_modules");
    if (!targetsNode.isArray()) {
      throw new ModelFormatException(
          file + ": target_modules must be a list of module names but is " + targetsNode);
    }
    List<String> targets = new ArrayList<>();
    targetsNode.forEach(n -> targets.add(n.asText()));
    if (!root.path("r").canConvertToInt()) {
      throw new ModelFormatException(file + ": 'r' must be an integer but is " + root.get("r"));
    }
    try {
      return new LoraConfig(
          root.get("r").asInt(),
          root.path("lora_alpha").asDouble(8),
          root.path("lora_dropout").asDouble(0),
          targets,
          root.path("use_rslora").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file + ": " + e.getMessage(), e);
    }
  }

  private void attach(Linear linear, NDArray loraA, NDArray loraB) {
    layers.put(linear.name(), new LoraLayer(loraA, loraB, config.scaling(), config.dropout()));
  }

  /**
   * An independent copy with its own arrays and dropout seed: training it (trainer.init=champion)
   * leaves this adapter, which may be serving or under evaluation, untouched.
   */
  public LoraAdapter copy(long seed) {
    LoraAdapter copy = new LoraAdapter(this, seed);
    layers.forEach(
        (module, layer) ->
            copy.layers.put(
                module,
                new LoraLayer(
                    copy.duplicate(layer.loraA()),
                    copy.duplicate(layer.loraB()),
                    config.scaling(),
                    config.dropout())));
    return copy;
  }

  private LoraAdapter(LoraAdapter source, long seed) {
    this.config = source.config;
    this.dropoutRandom = new Random(seed);
    this.targets.putAll(source.targets);
    this.manager = source.manager.getParentManager().newSubManager();
  }

  private NDArray duplicate(NDArray array) {
    NDArray copy = array.duplicate();
    copy.attach(manager);
    return copy;
  }

  @Override
  public NDArray project(Linear linear, NDArray x, boolean training) {
    LoraLayer layer = layers.get(linear.name());
    if (layer == null) {
      return linear.base(x);
    }
    SplittableRandom random = training ? new SplittableRandom(dropoutRandom.nextLong()) : null;
    return linear.base(x).addi(layer.delta(x, training, random));
  }

  @Override
  public Supplier<Adaptation> replayable() {
    long seed = dropoutRandom.nextLong();
    return () -> {
      SplittableRandom random = new SplittableRandom(seed);
      return (linear, x, training) -> {
        LoraLayer layer = layers.get(linear.name());
        if (layer == null) {
          return linear.base(x);
        }
        return linear.base(x).addi(layer.delta(x, training, random));
      };
    };
  }

  public LoraConfig config() {
    return config;
  }

  /** Trainable arrays by PEFT key, A before B per module, in layer order. */
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    layers.forEach(
        (module, layer) -> {
          out.put(PEFT_PREFIX + module + ".lora_A.weight", layer.loraA());
          out.put(PEFT_PREFIX + module + ".lora_B.weight", layer.loraB());
        });
    return out;
  }

  /** Marks A and B as requiring gradients; the base stays frozen. */
  public void setTrainable(boolean trainable) {
    parameters().values().forEach(p -> p.setRequiresGradient(trainable));
  }

  /**
   * The adapter folded into copies of its target weights ({@code W + scaling · B·A}), so inference
   * (evaluation, serving) runs at base-model speed: on a small model the extra LoRA ops cost
   * several times the base matmuls. The base model is untouched; close the result to free the
   * copies.
   */
  public Merged merged() {
    NDManager mergedManager = manager.newSubManager();
    Map<String, NDArray> weights = new LinkedHashMap<>();
    try {
      layers.forEach(
          (module, layer) -> {
            NDArray w = targets.get(module).weight().add(layer.deltaWeight());
            w.attach(mergedManager);
            weights.put(module, w);
          });
    } catch (RuntimeException e) {
      mergedManager.close();
      throw e;
    }
    return new Merged(weights, mergedManager);
  }

  /** An adapter's merged weights, applied per forward call like any adaptation. */
  public static final class Merged implements Adaptation, AutoCloseable {
    private final Map<String, NDArray> weights;
    private final NDManager manager;

    private Merged(Map<String, NDArray> weights, NDManager manager) {
      this.weights = weights;
      this.manager = manager;
    }

    @Override
    public NDArray project(Linear linear, NDArray x, boolean training) {
      NDArray w = weights.get(linear.name());
      return w == null ? linear.base(x) : linear.with(x, w);
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /** Writes adapter_config.json and adapter_model.safetensors (float32) in PEFT's layout. */
  public void save(Path dir, String baseModelNameOrPath) throws IOException {
    Files.createDirectories(dir);
    ObjectNode root = JSON.createObjectNode();
    root.put("peft_type", "LORA");
    root.put("task_type", "CAUSAL_LM");
    root.put("r", config.r());
    root.put("lora_alpha", config.alpha());
    root.put("lora_dropout", config.dropout());
    config.targetModules().forEach(root.putArray("target_modules")::add);
    root.put("use_rslora", config.useRslora());
    root.put("bias", "none");
    root.put("base_model_name_or_path", baseModelNameOrPath);
    root.put("inference_mode", true);
    root.put("fan_in_fan_out", false);
    root.put("init_lora_weights", true);
    root.putNull("modules_to_save");
    Files.writeString(
        dir.resolve(CONFIG_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    parameters().forEach((k, v) -> tensors.put(k, LlamaModel.toTensorData(v)));
    Safetensors.write(
        dir.resolve(WEIGHTS_FILE), tensors, Safetensors.DType.F32, Map.of("format", "pt"));
  }

  /** Number of trainable values (A and B of every target). */
  public long parameterCount() {
    return parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  @Override
  public void close() {
    manager.close();
  }
}
