package io.sluice.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.LlamaConfig;
import io.sluice.model.layers.HiddenAct;
import io.sluice.model.layers.RopeScaling;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Hugging Face {@code config.json} into a {@link LlamaConfig} so that no key is silently
 * misread: every key is implemented (and values Sluice cannot compute are refused), listed here as
 * irrelevant to the computation, or refused with its name and value. docs/model.md shows the same
 * table.
 */
public final class HfConfigReader {
  private static final List<String> MODEL_TYPES = List.of("llama", "qwen2", "mistral");
  private static final Map<String, String> ARCHITECTURES =
      Map.of(
          "llama",
          "LlamaForCausalLM",
          "qwen2",
          "Qwen2ForCausalLM",
          "mistral",
          "MistralForCausalLM");

  /** Keys that change the computation and are read below, for every model type. */
  private static final Set<String> IMPLEMENTED =
      Set.of(
          "model_type",
          "architectures",
          "vocab_size",
          "hidden_size",
          "intermediate_size",
          "num_hidden_layers",
          "num_attention_heads",
          "num_key_value_heads",
          "head_dim",
          "hidden_act",
          "max_position_embeddings",
          "rms_norm_eps",
          "rope_theta",
          "rope_scaling",
          "rope_parameters",
          "tie_word_embeddings",
          "bos_token_id",
          "eos_token_id",
          "attention_dropout",
          "sliding_window",
          "rope_interleaved",
          "pruned_heads",
          "is_encoder_decoder",
          "add_cross_attention");

  /**
   * Keys that only some model types define (transformers ignores them elsewhere, and so would we).
   */
  private static final Map<String, Set<String>> IMPLEMENTED_BY_TYPE =
      Map.of(
          "llama", Set.of("attention_bias", "mlp_bias", "pretraining_tp"),
          "qwen2", Set.of("use_sliding_window", "max_window_layers", "layer_types"),
          "mistral", Set.of());

  /**
   * Keys that do not change the logits of a forward pass: bookkeeping, initialisation of fresh
   * weights, generation defaults (Sluice takes those from its own options), and the dtype (weights
   * are widened to float32 as they are read).
   */
  static final Set<String> IRRELEVANT =
      Set.of(
          "_name_or_path",
          "transformers_version",
          "torch_dtype",
          "dtype",
          "use_cache",
          "pad_token_id",
          "initializer_range",
          "is_llama_config",
          "transformers.js_config",
          "tokenizer_class",
          "output_hidden_states",
          "output_attentions",
          "return_dict",
          "torchscript",
          "use_bfloat16",
          "tf_legacy_loss",
          "chunk_size_feed_forward",
          "is_decoder",
          "cross_attention_hidden_size",
          "tie_encoder_decoder",
          "finetuning_task",
          "id2label",
          "label2id",
          "problem_type",
          "prefix",
          "sep_token_id",
          "decoder_start_token_id",
          "task_specific_params",
          "max_length",
          "min_length",
          "do_sample",
          "early_stopping",
          "num_beams",
          "num_beam_groups",
          "diversity_penalty",
          "temperature",
          "top_k",
          "top_p",
          "typical_p",
          "repetition_penalty",
          "length_penalty",
          "no_repeat_ngram_size",
          "encoder_no_repeat_ngram_size",
          "bad_words_ids",
          "num_return_sequences",
          "output_scores",
          "return_dict_in_generate",
          "forced_bos_token_id",
          "forced_eos_token_id",
          "remove_invalid_values",
          "exponential_decay_length_penalty",
          "suppress_tokens",
          "begin_suppress_tokens");

  private HfConfigReader() {}

  public static LlamaConfig read(JsonNode root, String source) {
    Reader r = new Reader(root, source);
    String modelType = r.string("model_type", "llama");
    if (!MODEL_TYPES.contains(modelType)) {
      throw r.refuse(
          "model_type", "is not a Llama-family decoder (" + String.join(", ", MODEL_TYPES) + ")");
    }
    r.refuseUnknownKeys(modelType);
    JsonNode architectures = root.get("architectures");
    if (architectures != null && !architectures.isNull()) {
      for (JsonNode a : architectures) {
        if (!a.asText().equals(ARCHITECTURES.get(modelType))) {
          throw r.refuse(
              "architectures",
              "must be [\"" + ARCHITECTURES.get(modelType) + "\"] for model_type " + modelType);
        }
      }
    }
    int hidden = r.requiredInt("hidden_size");
    int heads = r.requiredInt("num_attention_heads");
    int intermediate = r.requiredInt("intermediate_size");
    int layers = r.requiredInt("num_hidden_layers");
    int maxPositions =
        r.integer(
            "max_position_embeddings",
            switch (modelType) {
              case "qwen2" -> 32768;
              case "mistral" -> 131072;
              default -> 2048;
            });
    String act = r.string("hidden_act", "silu");
    HiddenAct hiddenAct = HiddenAct.fromHf(act);
    if (hiddenAct == null) {
      throw r.refuse(
          "hidden_act",
          "is not implemented (silu, swish, gelu, gelu_new, gelu_pytorch_tanh, relu are)");
    }
    if (r.number("attention_dropout", 0) != 0) {
      throw r.refuse(
          "attention_dropout", "is not implemented: only 0 (no dropout on attention weights)");
    }
    if (r.bool("rope_interleaved", false)) {
      throw r.refuse(
          "rope_interleaved",
          "is not implemented: RoPE rotates halves (HF layout), not adjacent pairs");
    }
    JsonNode pruned = root.get("pruned_heads");
    if (pruned != null && !pruned.isNull() && !pruned.isEmpty()) {
      throw r.refuse("pruned_heads", "is not implemented: every layer has all its heads");
    }
    for (String key : List.of("is_encoder_decoder", "add_cross_attention")) {
      if (r.bool(key, false)) {
        throw r.refuse(key, "is not implemented: a Llama decoder has no encoder");
      }
    }
    refuseSlidingWindow(r, modelType, layers, maxPositions);
    Rope rope = readRope(r);
    boolean llamaBias = modelType.equals("llama") && r.bool("attention_bias", false);
    List<Integer> eos = new ArrayList<>();
    JsonNode eosNode = root.get("eos_token_id");
    if (eosNode != null && eosNode.isArray()) {
      eosNode.forEach(n -> eos.add(r.intValue("eos_token_id", n)));
    } else if (eosNode != null && !eosNode.isNull()) {
      eos.add(r.intValue("eos_token_id", eosNode));
    }
    return new LlamaConfig(
        hidden,
        intermediate,
        layers,
        heads,
        r.integer("num_key_value_heads", heads),
        r.integer("head_dim", hidden / heads),
        r.number("rms_norm_eps", 1e-6),
        rope.theta(),
        maxPositions,
        r.requiredInt("vocab_size"),
        r.bool("tie_word_embeddings", false),
        r.integer("bos_token_id", -1),
        eos,
        modelType.equals("qwen2") || llamaBias,
        llamaBias,
        modelType.equals("llama") && r.bool("mlp_bias", false),
        hiddenAct,
        rope.scaling());
  }

  /**
   * Sliding-window attention is not implemented, so a window that would cut attention short within
   * the model's positions is refused; a window at least that long changes nothing.
   */
  private static void refuseSlidingWindow(
      Reader r, String modelType, int layers, int maxPositions) {
    if (modelType.equals("qwen2")) {
      if (!r.bool("use_sliding_window", false)) {
        return;
      }
      // Qwen2 slides only in layers from max_window_layers on.
      if (r.integer("max_window_layers", layers) >= layers) {
        return;
      }
      JsonNode layerTypes = r.root.get("layer_types");
      if (layerTypes != null && !layerTypes.isNull()) {
        for (JsonNode t : layerTypes) {
          if (!t.asText().equals("full_attention")) {
            throw r.refuse(
                "layer_types",
                "has '" + t.asText() + "' layers; sliding-window attention is not implemented");
          }
        }
      }
    }
    int window = r.integer("sliding_window", Integer.MAX_VALUE);
    if (window < maxPositions) {
      throw r.refuse(
          "sliding_window",
          "is shorter than max_position_embeddings ("
              + maxPositions
              + "); sliding-window attention is not implemented");
    }
  }

  private record Rope(double theta, RopeScaling scaling) {}

  /**
   * θ and scaling from transformers v4's top-level {@code rope_theta} + {@code rope_scaling} or
   * v5's {@code rope_parameters} (θ inside); when both spellings are present they must agree.
   */
  private static Rope readRope(Reader r) {
    JsonNode parameters = r.root.get("rope_parameters");
    JsonNode scalingNode = r.root.get("rope_scaling");
    double thetaTop = r.number("rope_theta", Double.NaN);
    double thetaInParameters = Double.NaN;
    if (parameters != null && !parameters.isNull()) {
      if (!parameters.isObject()) {
        throw r.refuse("rope_parameters", "must be an object");
      }
      JsonNode t = parameters.get("rope_theta");
      if (t != null && !t.isNull()) {
        if (!t.isNumber()) {
          throw r.refuse("rope_parameters.rope_theta", t, "must be a number");
        }
        thetaInParameters = t.asDouble();
      }
    }
    if (!Double.isNaN(thetaTop)
        && !Double.isNaN(thetaInParameters)
        && thetaTop != thetaInParameters) {
      throw r.refuse(
          "rope_theta", "disagrees with rope_parameters.rope_theta " + thetaInParameters);
    }
    double theta =
        !Double.isNaN(thetaInParameters)
            ? thetaInParameters
            : !Double.isNaN(thetaTop) ? thetaTop : 10000.0;
    RopeScaling fromParameters = readScaling(r, "rope_parameters", parameters);
    RopeScaling fromScaling = readScaling(r, "rope_scaling", scalingNode);
    if (fromParameters.type() != RopeScaling.Type.DEFAULT
        && fromScaling.type() != RopeScaling.Type.DEFAULT
        && !fromParameters.equals(fromScaling)) {
      throw r.refuse("rope_scaling", "disagrees with rope_parameters " + parameters);
    }
    return new Rope(
        theta, fromParameters.type() != RopeScaling.Type.DEFAULT ? fromParameters : fromScaling);
  }

  private static RopeScaling readScaling(Reader r, String key, JsonNode node) {
    if (node == null || node.isNull()) {
      return RopeScaling.NONE;
    }
    if (!node.isObject()) {
      throw r.refuse(key, "must be an object");
    }
    // "type" is transformers' older spelling of "rope_type".
    JsonNode typeNode = node.has("rope_type") ? node.get("rope_type") : node.get("type");
    String type = typeNode == null || typeNode.isNull() ? "default" : typeNode.asText();
    Set<String> allowed =
        switch (type) {
          case "default" -> Set.of();
          case "linear" -> Set.of("factor");
          case "llama3" ->
              Set.of(
                  "factor",
                  "low_freq_factor",
                  "high_freq_factor",
                  "original_max_position_embeddings");
          default ->
              throw r.refuse(
                  key + ".rope_type",
                  typeNode,
                  "is not implemented (default, linear and llama3 are; dynamic, yarn and longrope are not)");
        };
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      boolean rotaryFull =
          name.equals("partial_rotary_factor")
              && field.getValue().isNumber()
              && field.getValue().asDouble() == 1.0;
      if (!allowed.contains(name)
          && !name.equals("rope_type")
          && !name.equals("type")
          && !rotaryFull
          && !(name.equals("rope_theta") && key.equals("rope_parameters"))) {
        throw r.refuse(
            key + "." + name, field.getValue(), "is not implemented for rope_type " + type);
      }
    }
    try {
      return switch (type) {
        case "linear" -> RopeScaling.linear(r.requiredNumber(key, node, "factor"));
        case "llama3" ->
            RopeScaling.llama3(
                r.requiredNumber(key, node, "factor"),
                r.requiredNumber(key, node, "low_freq_factor"),
                r.requiredNumber(key, node, "high_freq_factor"),
                (int) r.requiredNumber(key, node, "original_max_position_embeddings"));
        default -> RopeScaling.NONE;
      };
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(r.source + ": " + key + " " + node + ": " + e.getMessage(), e);
    }
  }

  /** Typed access to the config's fields; every failure names the key and its value. */
  private static final class Reader {
    final JsonNode root;
    final String source;

    Reader(JsonNode root, String source) {
      this.root = root;
      this.source = source;
    }

    void refuseUnknownKeys(String modelType) {
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!IMPLEMENTED.contains(key)
            && !IMPLEMENTED_BY_TYPE.get(modelType).contains(key)
            && !IRRELEVANT.contains(key)) {
          throw refuse(
              key,
              "is not supported: Sluice neither implements this key nor knows it to be irrelevant"
                  + " for model_type "
                  + modelType);
        }
      }
    }

    ModelFormatException refuse(String key, String why) {
      return refuse(key, root.get(key), why);
    }

    ModelFormatException refuse(String key, JsonNode value, String why) {
      return new ModelFormatException(source + ": '" + key + "' = " + value + " " + why);
    }

    int requiredInt(String key) {
      JsonNode node = root.get(key);
      if (node == null || node.isNull()) {
        throw new ModelFormatException(
            source + ": '" + key + "' must be an integer but is missing");
      }
      return intValue(key, node);
    }

    int intValue(String key, JsonNode node) {
      if (!node.canConvertToInt() || !node.isIntegralNumber()) {
        throw new ModelFormatException(
            source + ": '" + key + "' must be an integer but is " + node);
      }
      return node.asInt();
    }

    int integer(String key, int fallback) {
      JsonNode node = root.get(key);
      return node == null || node.isNull() ? fallback : intValue(key, node);
    }

    double number(String key, double fallback) {
      JsonNode node = root.get(key);
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isNumber()) {
        throw refuse(key, "must be a number");
      }
      return node.asDouble();
    }

    double requiredNumber(String parent, JsonNode object, String key) {
      JsonNode node = object.get(key);
      if (node == null || !node.isNumber()) {
        throw new ModelFormatException(
            source
                + ": '"
                + parent
                + "."
                + key
                + "' must be a number but is "
                + (node == null ? "missing" : node));
      }
      return node.asDouble();
    }

    boolean bool(String key, boolean fallback) {
      JsonNode node = root.get(key);
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isBoolean()) {
        throw refuse(key, "must be true or false");
      }
      return node.asBoolean();
    }

    String string(String key, String fallback) {
      JsonNode node = root.get(key);
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isTextual()) {
        throw refuse(key, "must be a string");
      }
      return node.asText();
    }
  }
}
