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
 */
public record DriftConfig(
    int referenceRecords, int windowRecords, double epsilon, Map<String, Map<Feature, long[]>> baselines) {

  public DriftConfig {
    if (referenceRecords < 1) {
      throw new IllegalArgumentException("referenceRecords must be >= 1 but was " + referenceRecords);
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
    return new DriftConfig(1000, 1000, 1e-4, Map.of());
  }
}
