package io.sluice.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.ChatTemplates;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.KvCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A decoder with its tokenizer: what the trainer, evaluator and CLI hold. Generation uses the KV
 * cache: one full pass over the prompt, then one position per new token.
 */
public final class LanguageModel implements AutoCloseable {
  private final LlamaModel model;
  private final TextTokenizer tokenizer;
  private final Path directory;
  private final List<Integer> extraStopIds;

  public LanguageModel(LlamaModel model, TextTokenizer tokenizer, Path directory) {
    this(model, tokenizer, directory, List.of());
  }

  /**
   * @param extraStopIds further ids that end generation, e.g. generation_config.json's eos ids
   */
  public LanguageModel(
      LlamaModel model, TextTokenizer tokenizer, Path directory, List<Integer> extraStopIds) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.directory = directory;
    this.extraStopIds = List.copyOf(extraStopIds);
  }

  /**
   * Loads an HF model directory (config.json, safetensors, tokenizer.json) with the chat template
   * its tokenizer_config.json (or chat_template.jinja) names; see {@link ChatTemplates}.
   */
  public static LanguageModel load(Path dir) throws IOException {
    return load(dir, Devices.preferred());
  }

  public static LanguageModel load(Path dir, Device device) throws IOException {
    return load(dir, ChatTemplates.fromCheckpoint(dir), device);
  }

  /** Loads with an explicit chat template, whatever the checkpoint says. */
  public static LanguageModel load(Path dir, ChatTemplate template, Device device)
      throws IOException {
    List<Integer> generationEos = ChatTemplates.generationEosIds(dir);
    TextTokenizer tokenizer = TextTokenizer.load(dir, template);
    try {
      return new LanguageModel(LlamaModel.load(dir, device), tokenizer, dir, generationEos);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  public LlamaModel model() {
    return model;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** Where the base model was loaded from (recorded in adapters' base_model_name_or_path). */
  public Path directory() {
    return directory;
  }

  /**
   * The assistant's answer to {@code messages} under {@code adaptation}, without the stop token.
   */
  public String chat(List<ChatTurn> messages, Adaptation adaptation, GenerationOptions options) {
    return tokenizer.decode(generate(tokenizer.encodePrompt(messages), adaptation, options));
  }

  /**
   * New token ids after {@code prompt}, stopping at the chat stop token, any eos id of the config
   * or generation config, or {@code maxNewTokens}; the stop token itself is not returned.
   */
  public long[] generate(long[] prompt, Adaptation adaptation, GenerationOptions options) {
    Set<Long> stops = new HashSet<>();
    stops.add(tokenizer.stopId());
    model.config().eosTokenIds().forEach(id -> stops.add((long) id));
    extraStopIds.forEach(id -> stops.add((long) id));
    int room = model.config().maxPositionEmbeddings() - prompt.length;
    int limit = Math.min(options.maxNewTokens(), room);
    if (limit <= 0) {
      throw new IllegalArgumentException(
          "prompt of "
              + prompt.length
              + " tokens leaves no room within max_position_embeddings "
              + model.config().maxPositionEmbeddings());
    }
    Random random = new Random(options.seed());
    List<Long> out = new ArrayList<>();
    try (KvCache cache = new KvCache(model.config().numHiddenLayers())) {
      long[] chunk = prompt;
      for (int i = 0; i < limit; i++) {
        long next;
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray ids = model.manager().create(chunk, new Shape(1, chunk.length));
          NDArray logits = model.forward(ids, cache, adaptation, false); // (1, T, V)
          float[] last =
              logits.get(new NDIndex("0, -1")).toType(DataType.FLOAT32, false).toFloatArray();
          next = pick(last, options, random);
        }
        if (stops.contains(next)) {
          break;
        }
        out.add(next);
        chunk = new long[] {next};
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static long pick(float[] logits, GenerationOptions options, Random random) {
    if (options.temperature() == 0) {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      return best;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] probs = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      probs[i] = Math.exp((logits[i] - max) / options.temperature());
      sum += probs[i];
    }
    Integer[] order = new Integer[logits.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
    // Nucleus: the smallest prefix of the sorted distribution whose mass reaches top-p.
    double kept = 0;
    int cut = 0;
    while (cut < order.length && kept < options.topP() * sum) {
      kept += probs[order[cut++]];
    }
    double r = random.nextDouble() * kept;
    for (int i = 0; i < cut; i++) {
      r -= probs[order[i]];
      if (r <= 0) {
        return order[i];
      }
    }
    return order[cut - 1];
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
