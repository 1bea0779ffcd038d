package io.sluice.model.train;

import io.sluice.model.LlamaConfig;
import io.sluice.model.io.TinyTokenizer;
import java.nio.file.Path;

/**
 * Settings of {@link Pretrainer#run}. The committed default model was trained with {@link
 * #defaults(Path)}; docs/model.md records the exact command.
 *
 * @param evaluate score the general-skills suite after training
 */
public record PretrainOptions(
    Path out,
    long seed,
    int steps,
    int batchSize,
    double learningRate,
    int warmupSteps,
    double weightDecay,
    LlamaConfig config,
    boolean evaluate) {

  public PretrainOptions {
    if (steps <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException(
          "steps (" + steps + ") and batchSize (" + batchSize + ") must be positive");
    }
    if (config.vocabSize() != TinyTokenizer.VOCAB_SIZE) {
      throw new IllegalArgumentException(
          "the pretraining tokenizer has "
              + TinyTokenizer.VOCAB_SIZE
              + " tokens but vocab_size is "
              + config.vocabSize());
    }
  }

  /** The tiny default model: 4 layers, hidden 128, 4 query / 2 KV heads, byte-level vocab. */
  public static LlamaConfig tinyConfig() {
    return LlamaConfig.of(128, 352, 4, 4, 2, TinyTokenizer.VOCAB_SIZE, 1024)
        .withSpecialTokens(-1, java.util.List.of(TinyTokenizer.IM_END_ID));
  }

  public static PretrainOptions defaults(Path out) {
    return new PretrainOptions(out, 42, 2400, 64, 2e-3, 100, 0.1, tinyConfig(), true);
  }

  public PretrainOptions withSteps(int newSteps) {
    return new PretrainOptions(
        out,
        seed,
        newSteps,
        batchSize,
        learningRate,
        Math.min(warmupSteps, newSteps),
        weightDecay,
        config,
        evaluate);
  }
}
