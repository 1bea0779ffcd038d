package io.sluice.curator.drift;

import java.util.Map;

/**
 * Drift settings.
 *
 * @param referenceRecords observations per feature that form a track's learned reference
 * @param windowRecords observations per feature in the rolling current window
 * @param epsilon smoothing added to every bin count before PSI
 * @param baselines pinned reference bin counts by track key and feature; tracks or features absent
 *     here learn their reference from their first observations
 * @param reportIntervalMs how often (wall clock) each track's drift is saved and reported
 * @param warnPsi PSI from which a feature is WARN
 * @param alertPsi PSI from which a feature is ALERT; above {@code warnPsi}
 */
public record DriftConfig(
    int referenceRecords,
    int windowRecords,
    double epsilon,
    Map<String, Map<Feature, long[]>> baselines,
    long reportIntervalMs,
    double warnPsi,
    double alertPsi) {

  public DriftConfig {
    if (reportIntervalMs < 1) {
      throw new IllegalArgumentException(
          "reportIntervalMs must be >= 1 but was " + reportIntervalMs);
    }
    if (!(warnPsi > 0 && warnPsi < alertPsi)) {
      throw new IllegalArgumentException(
          "need 0 < warnPsi < alertPsi but warnPsi was " + warnPsi + " and alertPsi " + alertPsi);
    }
    if (referenceRecords < 1) {
      throw new IllegalArgumentException(
          "referenceRecords must be >= 1 but was " + referenceRecords);
    }
    if (windowRecords < 1) {
      throw new IllegalArgumentException("windowRecords must be >= 1 but was " + windowRecords);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon must be > 0 but was " + epsilon);
    }
    baselines = Map.copyOf(baselines);
  }

  public static DriftConfig defaults() {
    return new DriftConfig(1000, 1000, 1e-4, Map.of(), 60_000, 0.1, 0.25);
  }
}
