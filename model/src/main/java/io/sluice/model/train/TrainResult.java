package io.sluice.model.train;

import java.util.List;

/**
 * What one {@link AdapterTrainer} run did.
 *
 * @param options every hyper-parameter the run used
 * @param skippedSteps optimiser steps dropped because their gradient norm was not finite
 * @param holdoutLoss mean objective on HOLDOUT records after training; NaN when there are none
 * @param lossCurve the loss of every optimiser step, in order
 * @param device where the run computed, e.g. {@code cpu()} or {@code gpu(0)}
 * @param truncatedExamples sequences longer than {@code options.maxLength()} that were shortened
 * @param sftExamples TRAIN records the SFT phase learned from (0 when there was none)
 * @param dpoPairs preference pairs the DPO phase learned from (0 when there was none)
 * @param ktoExamples voted answers (binary feedback) the KTO phase learned from (0 when none)
 */
public record TrainResult(
    TrainingObjective objective,
    TrainOptions options,
    int trainExamples,
    int holdoutExamples,
    int steps,
    int skippedSteps,
    double firstLoss,
    double finalLoss,
    double holdoutLoss,
    long tokens,
    double seconds,
    List<Double> lossCurve,
    String device,
    int truncatedExamples,
    int sftExamples,
    int dpoPairs,
    int ktoExamples) {

  public TrainResult {
    lossCurve = List.copyOf(lossCurve);
  }

  public double tokensPerSecond() {
    return seconds > 0 ? tokens / seconds : 0;
  }
}
