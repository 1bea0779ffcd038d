package io.sluice.evaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The promotion policy as a pure function of measured scores: a candidate is promoted only when its
 * domain metric beats the champion's by at least δ with a bootstrap interval that excludes zero, no
 * general task drops by more than ε against the champion nor by more than the budget against the
 * base, and its load check and serving lint found nothing.
 */
public final class PromotionGate {
  /** Scores are fractions of items; this much is rounding, not a drop. */
  private static final double EPS = 1e-9;

  private PromotionGate() {}

  /**
   * What the gate looks at.
   *
   * @param candidateDomain per-item domain metric of the candidate (higher is better), aligned with
   * @param championDomain the champion's on the same holdout items
   * @param candidateGeneral score per general task, 0..1
   * @param checkFindings load-check and lint reasons already found (empty when both passed)
   */
  public record Input(
      double[] candidateDomain,
      double[] championDomain,
      Map<String, Double> candidateGeneral,
      Map<String, Double> championGeneral,
      Map<String, Double> baseGeneral,
      List<GateReason> checkFindings) {}

  /** The decision with every reason and, when the domain was scored, its interval. */
  public record Decision(
      boolean promote, List<GateReason> reasons, PairedBootstrap.Interval domain) {
    public Decision {
      reasons = List.copyOf(reasons);
    }
  }

  public static Decision evaluate(GatePolicy policy, Input in) {
    List<GateReason> reasons = new ArrayList<>(in.checkFindings());
    PairedBootstrap.Interval interval = null;
    if (in.candidateDomain().length == 0) {
      reasons.add(
          GateReason.of(
              ReasonCode.NO_HOLDOUT,
              "the track has no holdout items, so no domain improvement can be shown"));
    } else {
      interval =
          PairedBootstrap.of(
              in.candidateDomain(),
              in.championDomain(),
              policy.resamples(),
              policy.confidence(),
              policy.seed());
      double from = mean(in.championDomain());
      double to = mean(in.candidateDomain());
      if (interval.mean() < policy.minDomainImprovement() - EPS) {
        reasons.add(
            new GateReason(
                ReasonCode.DOMAIN_NOT_IMPROVED,
                String.format(
                    Locale.ROOT,
                    "domain %s went from %.4f to %.4f (%+.4f < δ %.4f required)",
                    DomainScores.GATE_METRIC,
                    from,
                    to,
                    interval.mean(),
                    policy.minDomainImprovement()),
                DomainScores.GATE_METRIC,
                from,
                to,
                from - to,
                policy.minDomainImprovement(),
                interval.lower(),
                interval.upper()));
      }
      if (!(interval.lower() > 0)) {
        reasons.add(
            new GateReason(
                ReasonCode.NOT_SIGNIFICANT,
                String.format(
                    Locale.ROOT,
                    "%.0f%% paired bootstrap interval of the per-item %s difference [%+.4f, %+.4f]"
                        + " does not exclude zero on the improving side (%d items, %d resamples)",
                    policy.confidence() * 100,
                    DomainScores.GATE_METRIC,
                    interval.lower(),
                    interval.upper(),
                    in.candidateDomain().length,
                    policy.resamples()),
                DomainScores.GATE_METRIC,
                from,
                to,
                from - to,
                0.0,
                interval.lower(),
                interval.upper()));
      }
    }
    for (Map.Entry<String, Double> task : in.championGeneral().entrySet()) {
      Double candidate = in.candidateGeneral().get(task.getKey());
      if (candidate == null) {
        reasons.add(
            GateReason.of(
                ReasonCode.EVALUATION_FAILED, "general task " + task.getKey() + " was not scored"));
        continue;
      }
      if (task.getValue() - candidate > policy.maxForgetting() + EPS) {
        reasons.add(
            GateReason.drop(
                ReasonCode.FORGETTING,
                task.getKey(),
                task.getValue(),
                candidate,
                policy.maxForgetting(),
                "champion"));
      }
      Double base = in.baseGeneral().get(task.getKey());
      if (base != null && base - candidate > policy.forgettingBudget() + EPS) {
        reasons.add(
            GateReason.drop(
                ReasonCode.FORGETTING_BUDGET,
                task.getKey(),
                base,
                candidate,
                policy.forgettingBudget(),
                "base"));
      }
    }
    if (!reasons.isEmpty()) {
      return new Decision(false, reasons, interval);
    }
    return new Decision(
        true,
        List.of(
            new GateReason(
                ReasonCode.PASSED,
                String.format(
                    Locale.ROOT,
                    "domain %s %+.4f (≥ δ %.4f), %.0f%% interval [%+.4f, %+.4f]; no general task"
                        + " dropped more than %.1f points (champion) or %.1f points (base)",
                    DomainScores.GATE_METRIC,
                    interval.mean(),
                    policy.minDomainImprovement(),
                    policy.confidence() * 100,
                    interval.lower(),
                    interval.upper(),
                    policy.maxForgetting() * 100,
                    policy.forgettingBudget() * 100),
                DomainScores.GATE_METRIC,
                mean(in.championDomain()),
                mean(in.candidateDomain()),
                -interval.mean(),
                policy.minDomainImprovement(),
                interval.lower(),
                interval.upper())),
        interval);
  }

  static double mean(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return values.length == 0 ? Double.NaN : s / values.length;
  }
}
