package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.io.ModelFormatException;
import io.sluice.model.layers.HiddenAct;
import io.sluice.model.layers.RopeScaling;
import io.sluice.model.train.PretrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaConfigTest {
  @TempDir Path dir;

  @Test
  void readsSmolLm2StyleConfigWithHfDefaults() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(
        file,
        """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 576,
         "intermediate_size": 1536, "num_hidden_layers": 30, "num_attention_heads": 9,
         "num_key_value_heads": 3, "rms_norm_eps": 1e-05, "rope_theta": 100000,
         "max_position_embeddings": 8192, "vocab_size": 49152, "tie_word_embeddings": true,
         "bos_token_id": 1, "eos_token_id": 2, "rope_scaling": null, "torch_dtype": "bfloat16"}
        """);
    LlamaConfig config = LlamaConfig.read(file);
    assertThat(config.headDim()).isEqualTo(64);
    assertThat(config.queryGroups()).isEqualTo(3);
    assertThat(config.ropeTheta()).isEqualTo(100000);
    assertThat(config.tieWordEmbeddings()).isTrue();
    assertThat(config.eosTokenIds()).containsExactly(2);
    assertThat(config.attentionBias()).isFalse();
  }

  @Test
  void roundTripsThroughItsOwnJson() throws Exception {
    LlamaConfig config = PretrainOptions.tinyConfig();
    Path file = dir.resolve("config.json");
    Files.writeString(file, config.toJson());
    assertThat(LlamaConfig.read(file)).isEqualTo(config);
  }

  @Test
  void listOfEosIdsAndQwenBiasAreUnderstood() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(
        file,
        """
        {"model_type": "qwen2", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 1,
         "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 300,
         "eos_token_id": [5, 7]}
        """);
    LlamaConfig config = LlamaConfig.read(file);
    assertThat(config.eosTokenIds()).isEqualTo(List.of(5, 7));
    assertThat(config.attentionBias()).isTrue();
    assertThat(config.numKeyValueHeads()).isEqualTo(2);
  }

  @Test
  void invariantMessagesShowTheValues() {
    assertThatThrownBy(() -> LlamaConfig.of(64, 128, 2, 6, 4, 100, 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("num_attention_heads (6)")
        .hasMessageContaining("num_key_value_heads (4)");
  }

  @Test
  void nonJsonConfigFailsClearly() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "hidden_size: 64\n");
    assertThatThrownBy(() -> LlamaConfig.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("is not valid JSON");
  }

  @Test
  void missingFieldIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"hidden_size\": 64, \"num_attention_heads\": 4}");
    assertThatThrownBy(() -> LlamaConfig.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("'intermediate_size' must be an integer but is missing");
  }

  // One test (or more) per row of the config table in docs/model.md.

  private static final String SIZES =
      """
      "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
      "vocab_size": 300""";

  private LlamaConfig read(String extra) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{" + SIZES + (extra.isBlank() ? "" : ", " + extra) + "}");
    return LlamaConfig.read(file);
  }

  private void assertRefused(String extra, String... fragments) {
    var thrown = assertThatThrownBy(() -> read(extra)).isInstanceOf(ModelFormatException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }

  @Test
  void llama32ConfigReadsLlama3RopeScaling() throws Exception {
    Path file = dir.resolve("config.json");
    // Llama-3.2-1B-Instruct's config.json (transformers 4.45)
    Files.writeString(
        file,
        """
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
         "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "head_dim": 64,
         "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 8192,
         "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
         "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "pretraining_tp": 1,
         "rms_norm_eps": 1e-05,
         "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"},
         "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
         "transformers_version": "4.45.0.dev0", "use_cache": true, "vocab_size": 128256}
        """);
    LlamaConfig config = LlamaConfig.read(file);
    assertThat(config.ropeTheta()).isEqualTo(500000.0);
    assertThat(config.ropeScaling()).isEqualTo(RopeScaling.llama3(32, 1, 4, 8192));
    assertThat(config.eosTokenIds()).containsExactly(128001, 128008, 128009);
    assertThat(config.headDim()).isEqualTo(64);
  }

  @Test
  void smolLm2ConfigWithItsExtraKeysIsAccepted() throws Exception {
    LlamaConfig config =
        read(
            """
        "model_type": "llama", "is_llama_config": true, "rope_interleaved": false, "pad_token_id": 2,
        "transformers.js_config": {"kv_cache_dtype": {"q4f16": "float16", "fp16": "float16"}},
        "pretraining_tp": 1, "use_cache": true, "initializer_range": 0.041666666666666664,
        "_name_or_path": "HuggingFaceTB/SmolLM2-135M-Instruct", "transformers_version": "4.42.3"
        """);
    assertThat(config.hiddenAct()).isEqualTo(HiddenAct.SILU);
    assertThat(config.ropeScaling()).isEqualTo(RopeScaling.NONE);
  }

  @Test
  void ropeParametersOfTransformersV5CarryTheta() throws Exception {
    LlamaConfig config =
        read("\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 500000.0}");
    assertThat(config.ropeTheta()).isEqualTo(500000.0);
    assertThat(
            read("\"rope_theta\": null, \"rope_parameters\": {\"rope_theta\": 1000000.0}")
                .ropeTheta())
        .isEqualTo(1000000.0);
    assertThat(read("").ropeTheta()).isEqualTo(10000.0);
  }

  @Test
  void llama3ScalingInRopeParametersIsHonoured() throws Exception {
    LlamaConfig config =
        read(
            """
        "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
          "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}""");
    assertThat(config.ropeTheta()).isEqualTo(500000.0);
    assertThat(config.ropeScaling()).isEqualTo(RopeScaling.llama3(8, 1, 4, 8192));
  }

  @Test
  void linearScalingInTheOlderTypeSpelling() throws Exception {
    assertThat(read("\"rope_scaling\": {\"type\": \"linear\", \"factor\": 4.0}").ropeScaling())
        .isEqualTo(RopeScaling.linear(4));
  }

  @Test
  void ropeTypesThatAreNotImplementedAreRefusedByName() {
    assertRefused(
        "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}",
        "'rope_scaling.rope_type' = \"yarn\"");
    assertRefused(
        "\"rope_parameters\": {\"rope_type\": \"dynamic\", \"factor\": 2.0}",
        "'rope_parameters.rope_type' = \"dynamic\"");
    assertRefused(
        "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0}",
        "'rope_scaling.low_freq_factor' must be a number but is missing");
    assertRefused(
        """
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
          "original_max_position_embeddings": 8192, "attention_factor": 0.5}""",
        "'rope_scaling.attention_factor' = 0.5");
    assertRefused(
        "\"rope_scaling\": {\"rope_type\": \"default\", \"partial_rotary_factor\": 0.5}",
        "'rope_scaling.partial_rotary_factor' = 0.5");
  }

  @Test
  void disagreeingRopeSpellingsAreRefused() {
    assertRefused(
        "\"rope_theta\": 10000.0, \"rope_parameters\": {\"rope_theta\": 500000.0}",
        "'rope_theta' = 10000.0",
        "disagrees");
    assertRefused(
        """
        "rope_scaling": {"rope_type": "linear", "factor": 2.0},
        "rope_parameters": {"rope_type": "linear", "factor": 4.0}""",
        "'rope_scaling'",
        "disagrees");
  }

  @Test
  void llama3InverseFrequenciesMatchTheFormulaComputedIndependently() {
    // Computed with numpy from Meta's published apply_scaling (θ 500000, d 16, factor 32, low 1,
    // high 4, original 8192): pairs 0–3 keep their frequency, 4 is blended, 5–7 are divided by 32.
    double[] expected = {
      1.0,
      0.19392274474868576,
      0.03760603093086393,
      0.0072926647372171085,
      0.00042955679655936815,
      8.570255489881478e-06,
      1.661967467795309e-06,
      3.2229329303788936e-07
    };
    double[] actual = RopeScaling.llama3(32, 1, 4, 8192).inverseFrequencies(500000, 16);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i])
          .isCloseTo(expected[i], org.assertj.core.data.Percentage.withPercentage(1e-9));
    }
    assertThat(RopeScaling.linear(4).inverseFrequencies(10000, 8))
        .containsExactly(0.25, 0.025, 0.0025, 0.00025);
  }

  @Test
  void hiddenActIsReadAndUnknownActivationsAreRefused() throws Exception {
    assertThat(read("\"hidden_act\": \"gelu_pytorch_tanh\"").hiddenAct())
        .isEqualTo(HiddenAct.GELU_TANH);
    assertThat(read("\"hidden_act\": \"gelu_new\"").hiddenAct()).isEqualTo(HiddenAct.GELU_TANH);
    assertThat(read("\"hidden_act\": \"gelu\"").hiddenAct()).isEqualTo(HiddenAct.GELU);
    assertThat(read("\"hidden_act\": \"swish\"").hiddenAct()).isEqualTo(HiddenAct.SILU);
    assertRefused("\"hidden_act\": \"xielu\"", "'hidden_act' = \"xielu\" is not implemented");
  }

  @Test
  void activationsMatchTheirDefinitions() {
    try (ai.djl.ndarray.NDManager m =
        ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
      ai.djl.ndarray.NDArray x = m.create(new float[] {-2f, -0.5f, 1f, 3f});
      // x·Φ(x) and its tanh approximation, computed with Python's math.erf / numpy
      assertThat(HiddenAct.GELU.apply(x).toFloatArray())
          .containsExactly(
              new float[] {-0.04550026f, -0.15426877f, 0.84134475f, 2.9959503f}, within());
      assertThat(HiddenAct.GELU_TANH.apply(x).toFloatArray())
          .containsExactly(
              new float[] {-0.04540231f, -0.15428599f, 0.84119199f, 2.9963626f}, within());
      assertThat(HiddenAct.RELU.apply(x).toFloatArray()).containsExactly(0f, 0f, 1f, 3f);
    }
  }

  private static org.assertj.core.data.Offset<Float> within() {
    return org.assertj.core.data.Offset.offset(1e-6f);
  }

  @Test
  void slidingWindowIsRefusedWhereItWouldMatter() throws Exception {
    assertRefused(
        "\"model_type\": \"mistral\", \"sliding_window\": 4096, \"max_position_embeddings\": 32768",
        "'sliding_window' = 4096 is shorter than max_position_embeddings (32768)");
    assertThat(
            read("\"model_type\": \"mistral\", \"sliding_window\": null").maxPositionEmbeddings())
        .isEqualTo(131072);
    assertThat(
            read("\"model_type\": \"mistral\", \"sliding_window\": 4096, \"max_position_embeddings\": 4096")
                .maxPositionEmbeddings())
        .isEqualTo(4096);
    // Qwen2.5 ships a window it does not use (use_sliding_window false)
    assertThat(
            read("""
        "model_type": "qwen2", "use_sliding_window": false, "sliding_window": 4096, "max_window_layers": 1,
        "max_position_embeddings": 32768""")
                .attentionBias())
        .isTrue();
    assertRefused(
        """
        "model_type": "qwen2", "use_sliding_window": true, "sliding_window": 4096, "max_window_layers": 1,
        "max_position_embeddings": 32768""",
        "'sliding_window' = 4096");
  }

  @Test
  void llamaAttentionBiasPutsABiasOnOProjAndQwen2DoesNot() throws Exception {
    LlamaConfig llama =
        read("\"model_type\": \"llama\", \"attention_bias\": true, \"mlp_bias\": true");
    assertThat(llama.attentionBias()).isTrue();
    assertThat(llama.outputBias()).isTrue();
    assertThat(llama.mlpBias()).isTrue();
    LlamaConfig qwen = read("\"model_type\": \"qwen2\"");
    assertThat(qwen.attentionBias()).isTrue();
    assertThat(qwen.outputBias()).isFalse();
  }

  @Test
  void unknownKeysAreRefusedWithNameAndValue() {
    assertRefused("\"num_experts\": 8", "'num_experts' = 8 is not supported");
    assertRefused("\"quantization_config\": {\"quant_method\": \"gptq\"}", "'quantization_config'");
    // a key that only another model type defines
    assertRefused("\"model_type\": \"qwen2\", \"mlp_bias\": false", "'mlp_bias' = false");
    assertRefused(
        "\"model_type\": \"gemma\"", "'model_type' = \"gemma\" is not a Llama-family decoder");
  }

  @Test
  void valuesThatWouldChangeTheModelAreRefused() {
    assertRefused("\"attention_dropout\": 0.1", "'attention_dropout' = 0.1");
    assertRefused("\"rope_interleaved\": true", "'rope_interleaved' = true");
    assertRefused("\"pruned_heads\": {\"0\": [1]}", "'pruned_heads'");
    assertRefused("\"architectures\": [\"LlamaForSequenceClassification\"]", "'architectures'");
    assertRefused(
        "\"tie_word_embeddings\": \"yes\"",
        "'tie_word_embeddings' = \"yes\" must be true or false");
    assertRefused(
        "\"num_key_value_heads\": 2.5", "'num_key_value_heads' must be an integer but is 2.5");
  }

  @Test
  void richConfigsRoundTripThroughTheirOwnJson() throws Exception {
    LlamaConfig base = PretrainOptions.tinyConfig();
    for (LlamaConfig config :
        List.of(
            base.withRope(500000, RopeScaling.llama3(8, 1, 4, 256)),
            base.withRope(10000, RopeScaling.linear(2)),
            base.withBiasesAndActivation(true, true, true, HiddenAct.GELU_TANH),
            base.withBiasesAndActivation(true, false, false, HiddenAct.SILU))) {
      Path file = dir.resolve("config.json");
      Files.writeString(file, config.toJson());
      assertThat(LlamaConfig.read(file)).isEqualTo(config);
    }
  }
}
