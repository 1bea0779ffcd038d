package io.sluice.evaluator;

/**
 * The promotion gate's thresholds.
 *
 * @param minDomainImprovement δ: least mean per-item gain of the domain metric over the champion
 * @param maxForgetting ε: largest drop of a general task against the champion (0.02 = 2 points)
 * @param forgettingBudget largest drop of a general task against the bare base, across promotions
 * @param resamples paired bootstrap resamples (at least 1,000)
 * @param seed bootstrap seed, so a decision can be recomputed exactly
 * @param confidence level of the bootstrap interval that must exclude zero
 */
public record GatePolicy(
    double minDomainImprovement,
    double maxForgetting,
    double forgettingBudget,
    int resamples,
    long seed,
    double confidence) {

  public GatePolicy {
    if (!(minDomainImprovement >= 0)) {
      throw new IllegalArgumentException(
          "minDomainImprovement must be >= 0 but is " + minDomainImprovement);
    }
    if (!(maxForgetting >= 0 && forgettingBudget >= maxForgetting)) {
      throw new IllegalArgumentException(
          "need 0 <= maxForgetting <= forgettingBudget but got "
              + maxForgetting
              + " and "
              + forgettingBudget);
    }
    if (resamples < 1000) {
      throw new IllegalArgumentException("resamples must be at least 1000 but is " + resamples);
    }
    if (!(confidence > 0.5 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0.5, 1) but is " + confidence);
    }
  }

  /** δ 0.05 nats/token, ε 2 points, budget 5 points against the base, 2,000 resamples, 95%. */
  public static GatePolicy defaults() {
    return new GatePolicy(0.05, 0.02, 0.05, 2000, 20240917L, 0.95);
  }
}
