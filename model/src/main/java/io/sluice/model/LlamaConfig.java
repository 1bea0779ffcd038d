package io.sluice.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a Llama-family decoder, read from a Hugging Face {@code config.json}.
 *
 * <p>Optional HF keys get the defaults that {@code transformers.LlamaConfig} uses, so a config
 * written by any Llama, SmolLM or Qwen2 checkpoint means the same thing here as in Python.
 *
 * @param eosTokenIds Llama 3 lists several end ids; generation stops at any of them
 * @param attentionBias q/k/v projections carry a bias (Qwen2 always, Llama when configured)
 */
public record LlamaConfig(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    int maxPositionEmbeddings,
    int vocabSize,
    boolean tieWordEmbeddings,
    int bosTokenId,
    List<Integer> eosTokenIds,
    boolean attentionBias) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public LlamaConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    require(hiddenSize > 0, "hidden_size must be positive but is %d", hiddenSize);
    require(intermediateSize > 0, "intermediate_size must be positive but is %d", intermediateSize);
    require(numHiddenLayers > 0, "num_hidden_layers must be positive but is %d", numHiddenLayers);
    require(numAttentionHeads > 0, "num_attention_heads must be positive but is %d", numAttentionHeads);
    require(
        numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0,
        "num_attention_heads (%d) must be a positive multiple of num_key_value_heads (%d)",
        numAttentionHeads,
        numKeyValueHeads);
    require(headDim > 0 && headDim % 2 == 0, "head_dim must be positive and even (RoPE rotates pairs) but is %d", headDim);
    require(rmsNormEps > 0, "rms_norm_eps must be positive but is %s", rmsNormEps);
    require(ropeTheta > 0, "rope_theta must be positive but is %s", ropeTheta);
    require(maxPositionEmbeddings > 0, "max_position_embeddings must be positive but is %d", maxPositionEmbeddings);
    require(vocabSize > 0, "vocab_size must be positive but is %d", vocabSize);
    for (int eos : eosTokenIds) {
      require(eos >= 0 && eos < vocabSize, "eos_token_id %d is outside the vocabulary [0, %d)", eos, vocabSize);
    }
    require(bosTokenId < vocabSize, "bos_token_id %d is outside the vocabulary [0, %d)", bosTokenId, vocabSize);
  }

  /** A config with HF defaults for everything but the sizes; head_dim = hidden / heads. */
  public static LlamaConfig of(
      int hiddenSize,
      int intermediateSize,
      int numHiddenLayers,
      int numAttentionHeads,
      int numKeyValueHeads,
      int vocabSize,
      int maxPositionEmbeddings) {
    return new LlamaConfig(
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        hiddenSize / numAttentionHeads,
        1e-5,
        10000.0,
        maxPositionEmbeddings,
        vocabSize,
        true,
        -1,
        List.of(),
        false);
  }

  public LlamaConfig withSpecialTokens(int bos, List<Integer> eos) {
    return new LlamaConfig(
        hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim,
        rmsNormEps, ropeTheta, maxPositionEmbeddings, vocabSize, tieWordEmbeddings, bos, eos,
        attentionBias);
  }

  /** How many query heads share one key/value head (grouped-query attention). */
  public int queryGroups() {
    return numAttentionHeads / numKeyValueHeads;
  }

  /** Parameters outside the token embedding (the LM head counts when it is not tied). */
  public long nonEmbeddingParameters() {
    long attention =
        (long) hiddenSize * headDim * (2L * numAttentionHeads + 2L * numKeyValueHeads);
    long mlp = 3L * hiddenSize * intermediateSize;
    long norms = 2L * hiddenSize;
    long head = tieWordEmbeddings ? 0 : (long) vocabSize * hiddenSize;
    return numHiddenLayers * (attention + mlp + norms) + hiddenSize + head;
  }

  /** Reads {@code config.json}; any missing or malformed field is reported with its name. */
  public static LlamaConfig read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException("no config.json at " + file);
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(file + " must hold a JSON object");
    }
    return fromJson(root, file.toString());
  }

  static LlamaConfig fromJson(JsonNode root, String source) {
    String modelType = root.path("model_type").asText("llama");
    if (!List.of("llama", "qwen2", "mistral").contains(modelType)) {
      throw new ModelFormatException(
          source + ": model_type '" + modelType + "' is not a Llama-family decoder (llama, qwen2, mistral)");
    }
    JsonNode scaling = root.get("rope_scaling");
    if (scaling != null && !scaling.isNull()) {
      String type = scaling.path("rope_type").asText(scaling.path("type").asText("?"));
      if (!type.equals("default")) {
        throw new ModelFormatException(source + ": rope_scaling type '" + type + "' is not supported");
      }
    }
    if (root.path("mlp_bias").asBoolean(false)) {
      throw new ModelFormatException(source + ": mlp_bias=true is not supported");
    }
    int hidden = requiredInt(root, "hidden_size", source);
    int heads = requiredInt(root, "num_attention_heads", source);
    List<Integer> eos = new ArrayList<>();
    JsonNode eosNode = root.get("eos_token_id");
    if (eosNode != null && eosNode.isArray()) {
      eosNode.forEach(n -> eos.add(n.asInt()));
    } else if (eosNode != null && eosNode.canConvertToInt()) {
      eos.add(eosNode.asInt());
    }
    return new LlamaConfig(
        hidden,
        requiredInt(root, "intermediate_size", source),
        requiredInt(root, "num_hidden_layers", source),
        heads,
        root.has("num_key_value_heads") && !root.get("num_key_value_heads").isNull()
            ? requiredInt(root, "num_key_value_heads", source)
            : heads,
        root.has("head_dim") && !root.get("head_dim").isNull()
            ? requiredInt(root, "head_dim", source)
            : hidden / heads,
        root.path("rms_norm_eps").asDouble(1e-6),
        root.path("rope_theta").asDouble(10000.0),
        root.path("max_position_embeddings").asInt(2048),
        requiredInt(root, "vocab_size", source),
        root.path("tie_word_embeddings").asBoolean(false),
        root.path("bos_token_id").canConvertToInt() ? root.get("bos_token_id").asInt() : -1,
        eos,
        modelType.equals("qwen2") || root.path("attention_bias").asBoolean(false));
  }

  private static int requiredInt(JsonNode root, String key, String source) {
    JsonNode node = root.get(key);
    if (node == null || !node.canConvertToInt()) {
      throw new ModelFormatException(
          source + ": '" + key + "' must be an integer but is " + (node == null ? "missing" : node));
    }
    return node.asInt();
  }

  /** The config as HF {@code config.json}, so transformers and vLLM load what Sluice writes. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("architectures").add("LlamaForCausalLM");
    root.put("model_type", "llama");
    root.put("hidden_size", hiddenSize);
    root.put("intermediate_size", intermediateSize);
    root.put("num_hidden_layers", numHiddenLayers);
    root.put("num_attention_heads", numAttentionHeads);
    root.put("num_key_value_heads", numKeyValueHeads);
    root.put("head_dim", headDim);
    root.put("hidden_act", "silu");
    root.put("rms_norm_eps", rmsNormEps);
    root.put("rope_theta", ropeTheta);
    root.putNull("rope_scaling");
    root.put("max_position_embeddings", maxPositionEmbeddings);
    root.put("vocab_size", vocabSize);
    root.put("tie_word_embeddings", tieWordEmbeddings);
    root.put("attention_bias", attentionBias);
    root.put("mlp_bias", false);
    if (bosTokenId >= 0) {
      root.put("bos_token_id", bosTokenId);
    }
    if (eosTokenIds.size() == 1) {
      root.put("eos_token_id", eosTokenIds.get(0));
    } else if (!eosTokenIds.isEmpty()) {
      eosTokenIds.forEach(root.putArray("eos_token_id")::add);
    }
    root.put("torch_dtype", "float32");
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a config", e);
    }
  }

  private static void require(boolean ok, String format, Object... values) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, values));
    }
  }
}
