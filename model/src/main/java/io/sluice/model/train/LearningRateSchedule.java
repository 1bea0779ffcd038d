package io.sluice.model.train;

/** Linear warmup to {@code peak}, then cosine decay to {@code peak · minRatio} at {@code total}. */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {

  public LearningRateSchedule {
    if (!(peak > 0)) {
      throw new IllegalArgumentException("peak learning rate must be positive but is " + peak);
    }
    if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "need 0 <= warmupSteps ("
              + warmupSteps
              + ") <= totalSteps ("
              + totalSteps
              + ") and totalSteps > 0");
    }
  }

  /** The rate for 0-based {@code step}. */
  public double at(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    return peak * (minRatio + (1 - minRatio) * cosine);
  }
}
