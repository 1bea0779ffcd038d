package io.sluice.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.train.TrainOptions;
import io.sluice.model.train.TrainingObjective;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandDefaultsTest {

  @Test
  void optionsLeftOutTakeTheLibrarysDefaults() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs("--data", "curated.jsonl", "--out", "adapter");
    TrainOptions defaults = TrainOptions.defaults(TrainingObjective.AUTO);

    assertThat(command.epochs).isEqualTo(defaults.epochs());
    assertThat(command.batchSize).isEqualTo(defaults.batchSize());
    assertThat(command.gradAccum).isEqualTo(defaults.gradientAccumulation());
    assertThat(command.learningRate).isEqualTo(defaults.learningRate());
    assertThat(command.dpoLearningRate).isEqualTo(defaults.dpoLearningRate());
    assertThat(command.rank).isEqualTo(defaults.lora().r());
    assertThat(command.alpha).isEqualTo(defaults.lora().alpha());
    assertThat(command.dropout).isEqualTo(defaults.lora().dropout());
    assertThat(command.beta).isEqualTo(defaults.beta());
    assertThat(command.maxLength).isEqualTo(defaults.maxLength());
    assertThat(command.seed).isEqualTo(defaults.seed());
  }

  @Test
  void helpShowsTheLibrarysLearningRates() {
    String usage = new CommandLine(new TrainCommand()).getUsageMessage();

    assertThat(usage)
        .contains(
            "(default: " + TrainOptions.defaults(TrainingObjective.AUTO).dpoLearningRate() + ")");
  }
}
