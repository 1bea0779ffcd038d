package io.sluice.model.skills;

import java.util.List;
import java.util.Map;

/**
 * Exact-match accuracy per skill of one evaluation run.
 *
 * @param skills accuracy in [0, 1] by skill name, in suite order
 * @param mean unweighted mean over skills
 * @param failures a few wrong answers per run, for reports ("skill: prompt → got, want")
 */
public record SuiteResult(
    Map<String, Double> skills, double mean, int items, double seconds, List<String> failures) {
  public SuiteResult {
    skills = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skills));
    failures = List.copyOf(failures);
  }

  /** The lowest accuracy of any skill: the figure a forgetting gate cares about. */
  public double min() {
    return skills.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }
}
