package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    Files.writeString(file, """
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
    Files.writeString(file, """
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

  @Test
  void unsupportedRopeScalingIsRefused() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, """
        {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 1, "num_attention_heads": 4,
         "vocab_size": 300, "rope_scaling": {"rope_type": "llama3", "factor": 8.0}}
        """);
    assertThatThrownBy(() -> LlamaConfig.read(file)).hasMessageContaining("rope_scaling type 'llama3'");
  }
}
