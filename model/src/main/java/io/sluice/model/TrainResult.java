package io.sluice.model;

import java.nio.file.Path;

/**
 * What {@link AdapterTrainer#run} did.
 *
 * @param adapterDir where the PEFT files and training_report.json were written
 * @param holdoutLoss mean objective on HOLDOUT records after training; NaN when there are none
 */
public record TrainResult(
    Path adapterDir, Objective objective, int trainExamples, int holdoutExamples, int steps, double firstLoss,
    double finalLoss, double holdoutLoss, long tokens, double seconds) {

  public double tokensPerSecond() {
    return seconds > 0 ? tokens / seconds : 0;
  }
}
