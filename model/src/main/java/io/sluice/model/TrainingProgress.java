package io.sluice.model;

/** One optimiser step's figures, for progress bars and reports. */
public record TrainingProgress(int step, int totalSteps, double loss, double tokensPerSecond, double learningRate, double elapsedSeconds) {

  /** Seconds left at the current pace. */
  public double etaSeconds() {
    return step == 0 ? Double.NaN : elapsedSeconds / step * (totalSteps - step);
  }
}
