package io.sluice.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.GenerationOptions;
import io.sluice.model.LanguageModel;
import io.sluice.model.LlamaConfig;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.layers.Adaptation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {
  @TempDir Path dir;

  @Test
  void shortPretrainingWritesALoadableHfModel() throws Exception {
    LlamaConfig small =
        LlamaConfig.of(32, 64, 1, 2, 1, TinyTokenizer.VOCAB_SIZE, 128)
            .withSpecialTokens(-1, List.of(TinyTokenizer.IM_END_ID));
    PretrainOptions options = new PretrainOptions(dir, 7, 60, 16, 3e-3, 5, 0.1, small, false);
    PretrainResult result = Pretrainer.run(options, p -> {});
    assertThat(result.finalLoss()).isLessThan(result.firstLoss() * 0.7);
    assertThat(dir.resolve("pretrain_report.json")).exists();
    try (LanguageModel lm = LanguageModel.load(dir)) {
      assertThat(lm.model().config()).isEqualTo(small);
      assertThat(
              lm.chat(
                  List.of(ChatTurn.user("What is 2+2?")),
                  Adaptation.NONE,
                  GenerationOptions.greedy(4)))
          .isNotNull();
    }
  }
}
