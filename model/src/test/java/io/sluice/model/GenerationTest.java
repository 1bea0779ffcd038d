package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.layers.Adaptation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationTest {
  @TempDir Path dir;

  private LanguageModel model() throws Exception {
    TinyTokenizer.write(dir);
    return new LanguageModel(
        LlamaModel.random(TestModels.tiny(), 5, 0.3, Device.cpu()),
        TextTokenizer.load(dir, ChatTemplate.chatMl()),
        dir);
  }

  @Test
  void samplingIsSeededAndTinyTopPIsGreedy() throws Exception {
    try (LanguageModel lm = model()) {
      long[] prompt = {72, 105, 33};
      long[] greedy = lm.generate(prompt, Adaptation.NONE, GenerationOptions.greedy(10));
      assertThat(greedy).hasSize(10);
      assertThat(lm.generate(prompt, Adaptation.NONE, new GenerationOptions(10, 1.0, 1e-6, 3)))
          .containsExactly(greedy);
      long[] a = lm.generate(prompt, Adaptation.NONE, new GenerationOptions(10, 1.5, 0.9, 11));
      long[] b = lm.generate(prompt, Adaptation.NONE, new GenerationOptions(10, 1.5, 0.9, 11));
      assertThat(a).containsExactly(b);
    }
  }

  @Test
  void generationStopsAtTheContextLimit() throws Exception {
    try (LanguageModel lm = model()) {
      long[] prompt = new long[60]; // max_position_embeddings is 64
      assertThat(lm.generate(prompt, Adaptation.NONE, GenerationOptions.greedy(100)).length)
          .isLessThanOrEqualTo(4);
      assertThatThrownBy(
              () -> lm.generate(new long[64], Adaptation.NONE, GenerationOptions.greedy(5)))
          .hasMessageContaining("leaves no room");
    }
  }

  @Test
  void invalidOptionsAreRefusedWithTheirValue() {
    assertThatThrownBy(() -> new GenerationOptions(5, 1, 1.5, 0))
        .hasMessageContaining("top-p must be within (0, 1] but is 1.5");
    assertThatThrownBy(() -> new GenerationOptions(0, 0, 1, 0))
        .hasMessageContaining("maxNewTokens must be positive but is 0");
  }
}
