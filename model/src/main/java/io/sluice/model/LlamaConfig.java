package io.sluice.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.io.HfConfigReader;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.layers.HiddenAct;
import io.sluice.model.layers.RopeScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a Llama-family decoder, read from a Hugging Face {@code config.json}.
 *
 * <p>Every key of a config is either implemented, known to be irrelevant to the computation, or
 * refused with its name and value ({@link HfConfigReader} holds the table); optional keys get the
 * defaults that transformers uses, so a config means the same thing here as in Python.
 *
 * @param eosTokenIds Llama 3 lists several end ids; generation stops at any of them
 * @param attentionBias q/k/v projections carry a bias (Qwen2 always, Llama when configured)
 * @param outputBias o_proj carries a bias (Llama's {@code attention_bias}, never Qwen2)
 * @param mlpBias gate/up/down projections carry a bias (Llama's {@code mlp_bias})
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
    boolean attentionBias,
    boolean outputBias,
    boolean mlpBias,
    HiddenAct hiddenAct,
    RopeScaling ropeScaling) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public LlamaConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    Objects.requireNonNull(hiddenAct, "hiddenAct");
    Objects.requireNonNull(ropeScaling, "ropeScaling");
    require(hiddenSize > 0, "hidden_size must be positive but is %d", hiddenSize);
    require(intermediateSize > 0, "intermediate_size must be positive but is %d", intermediateSize);
    require(numHiddenLayers > 0, "num_hidden_layers must be positive but is %d", numHiddenLayers);
    require(
        numAttentionHeads > 0, "num_attention_heads must be positive but is %d", numAttentionHeads);
    require(
        numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0,
        "num_attention_heads (%d) must be a positive multiple of num_key_value_heads (%d)",
        numAttentionHeads,
        numKeyValueHeads);
    require(
        headDim > 0 && headDim % 2 == 0,
        "head_dim must be positive and even (RoPE rotates pairs) but is %d",
        headDim);
    require(rmsNormEps > 0, "rms_norm_eps must be positive but is %s", rmsNormEps);
    require(ropeTheta > 0, "rope_theta must be positive but is %s", ropeTheta);
    require(
        maxPositionEmbeddings > 0,
        "max_position_embeddings must be positive but is %d",
        maxPositionEmbeddings);
    require(vocabSize > 0, "vocab_size must be positive but is %d", vocabSize);
    for (int eos : eosTokenIds) {
      require(
          eos >= 0 && eos < vocabSize,
          "eos_token_id %d is outside the vocabulary [0, %d)",
          eos,
          vocabSize);
    }
    require(
        bosTokenId < vocabSize,
        "bos_token_id %d is outside the vocabulary [0, %d)",
        bosTokenId,
        vocabSize);
  }

  /** A plain Llama/Qwen2 shape: SiLU, no o_proj or MLP bias, no rope scaling. */
  public LlamaConfig(
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
    this(
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        headDim,
        rmsNormEps,
        ropeTheta,
        maxPositionEmbeddings,
        vocabSize,
        tieWordEmbeddings,
        bosTokenId,
        eosTokenIds,
        attentionBias,
        false,
        false,
        HiddenAct.SILU,
        RopeScaling.NONE);
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
    return with(bos, eos, ropeTheta, ropeScaling, attentionBias, outputBias, mlpBias, hiddenAct);
  }

  /** This config with RoPE θ and scaling replaced. */
  public LlamaConfig withRope(double theta, RopeScaling scaling) {
    return with(
        bosTokenId, eosTokenIds, theta, scaling, attentionBias, outputBias, mlpBias, hiddenAct);
  }

  /** This config with the given projection biases and MLP activation. */
  public LlamaConfig withBiasesAndActivation(
      boolean qkvBias, boolean oBias, boolean mlpBias, HiddenAct act) {
    return with(bosTokenId, eosTokenIds, ropeTheta, ropeScaling, qkvBias, oBias, mlpBias, act);
  }

  /** This config's sizes with the values the public withers replace. */
  private LlamaConfig with(
      int bos,
      List<Integer> eos,
      double theta,
      RopeScaling scaling,
      boolean qkvBias,
      boolean oBias,
      boolean withMlpBias,
      HiddenAct act) {
    return new LlamaConfig(
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        headDim,
        rmsNormEps,
        theta,
        maxPositionEmbeddings,
        vocabSize,
        tieWordEmbeddings,
        bos,
        eos,
        qkvBias,
        oBias,
        withMlpBias,
        act,
        scaling);
  }

  /** How many query heads share one key/value head (grouped-query attention). */
  public int queryGroups() {
    return numAttentionHeads / numKeyValueHeads;
  }

  /** Parameters outside the token embedding (the LM head counts when it is not tied). */
  public long nonEmbeddingParameters() {
    long attention = (long) hiddenSize * headDim * (2L * numAttentionHeads + 2L * numKeyValueHeads);
    long mlp = 3L * hiddenSize * intermediateSize;
    long norms = 2L * hiddenSize;
    long head = tieWordEmbeddings ? 0 : (long) vocabSize * hiddenSize;
    return numHiddenLayers * (attention + mlp + norms) + hiddenSize + head;
  }

  /**
   * Reads {@code config.json}; a missing or malformed field, and any key Sluice would otherwise
   * ignore while transformers honours it, is reported with its name and value.
   */
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
      throw new ModelFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(file + " must hold a JSON object");
    }
    return fromJson(root, file.toString());
  }

  public static LlamaConfig fromJson(JsonNode root, String source) {
    return HfConfigReader.read(root, source);
  }

  /** The config as HF {@code config.json}, so transformers and vLLM load what Sluice writes. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    // q/k/v bias without an o_proj bias is Qwen2's layout; Llama's attention_bias means all four.
    boolean qwen2 = attentionBias && !outputBias;
    require(
        outputBias == attentionBias || qwen2,
        "an o_proj bias without q/k/v biases has no HF config");
    require(!(qwen2 && mlpBias), "Qwen2 has no mlp_bias");
    root.putArray("architectures").add(qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
    root.put("model_type", qwen2 ? "qwen2" : "llama");
    root.put("hidden_size", hiddenSize);
    root.put("intermediate_size", intermediateSize);
    root.put("num_hidden_layers", numHiddenLayers);
    root.put("num_attention_heads", numAttentionHeads);
    root.put("num_key_value_heads", numKeyValueHeads);
    root.put("head_dim", headDim);
    root.put("hidden_act", hiddenAct.hfName());
    root.put("rms_norm_eps", rmsNormEps);
    root.put("rope_theta", ropeTheta);
    if (ropeScaling.type() == RopeScaling.Type.DEFAULT) {
      root.putNull("rope_scaling");
    } else {
      ObjectNode scaling = root.putObject("rope_scaling");
      scaling.put("rope_type", ropeScaling.type().hfName());
      scaling.put("factor", ropeScaling.factor());
      if (ropeScaling.type() == RopeScaling.Type.LLAMA3) {
        scaling.put("low_freq_factor", ropeScaling.lowFreqFactor());
        scaling.put("high_freq_factor", ropeScaling.highFreqFactor());
        scaling.put("original_max_position_embeddings", ropeScaling.originalMaxPositions());
      }
    }
    root.put("max_position_embeddings", maxPositionEmbeddings);
    root.put("vocab_size", vocabSize);
    root.put("tie_word_embeddings", tieWordEmbeddings);
    if (!qwen2) {
      root.put("attention_bias", attentionBias);
      root.put("mlp_bias", mlpBias);
    }
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
