package io.sluice.curator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.curator.drift.DriftConfig;
import io.sluice.curator.drift.DriftMonitor;
import io.sluice.curator.drift.Feature;
import io.sluice.curator.drift.Script;
import java.util.Map;

/**
 * Counters and drift of the curator. Counter names are dotted (Micrometer); Prometheus shows
 * {@code sluice_curator_records_in_total}, {@code sluice_curator_records_out_total}, {@code
 * sluice_curator_records_rejected_total{reason,stage}} and {@code sluice_curator_pii_total{type}},
 * all also tagged with tenant and track ({@value #UNKNOWN} when the record was unreadable).
 */
public final class CuratorMetrics {

  public static final String RECORDS_IN = "sluice.curator.records.in";
  public static final String RECORDS_OUT = "sluice.curator.records.out";
  public static final String RECORDS_REJECTED = "sluice.curator.records.rejected";
  public static final String PII = "sluice.curator.pii";
  public static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final DriftMonitor drift;

  public CuratorMetrics(MeterRegistry registry, DriftConfig driftConfig) {
    this.registry = registry;
    this.drift = new DriftMonitor(driftConfig, registry);
  }

  /** Metrics kept in a private registry: for offline runs and tests that read them back. */
  public static CuratorMetrics standalone(DriftConfig driftConfig) {
    return new CuratorMetrics(new SimpleMeterRegistry(), driftConfig);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public DriftMonitor drift() {
    return drift;
  }

  /** A raw record arrived (before it is even decoded). */
  public void recordIn(String tenant, String track) {
    registry.counter(RECORDS_IN, "tenant", orUnknown(tenant), "track", orUnknown(track)).increment();
  }

  /** A curated record was emitted; {@code script} is the {@link Script} category of its prompt. */
  public void recordCurated(
      String tenant, String track, String kind, String split, int promptChars, int answerChars, int script) {
    registry.counter(RECORDS_OUT, "tenant", tenant, "track", track, "kind", kind, "split", split).increment();
    drift.observe(tenant, track, Feature.PROMPT_LENGTH, promptChars);
    drift.observe(tenant, track, Feature.LANGUAGE, script);
    drift.observe(tenant, track, Feature.COMPLETION_LENGTH, answerChars);
    drift.observe(tenant, track, Feature.REJECTION_REASON, Feature.Outcomes.value(Feature.Outcomes.CURATED));
  }

  /** A record was rejected; tenant and track are null when it could not be read. */
  public void recordRejected(String tenant, String track, String stage, String reason) {
    registry
        .counter(RECORDS_REJECTED, "tenant", orUnknown(tenant), "track", orUnknown(track), "stage", stage, "reason", reason)
        .increment();
    if (tenant != null && track != null) {
      drift.observe(tenant, track, Feature.REJECTION_REASON, Feature.Outcomes.value(reason));
    }
  }

  /** PII spans replaced in one event, by type; feeds the PII-rate drift too. */
  public void recordPii(String tenant, String track, Map<String, Integer> counts) {
    int total = 0;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      registry.counter(PII, "tenant", tenant, "track", track, "type", entry.getKey()).increment(entry.getValue());
      total += entry.getValue();
    }
    drift.observe(tenant, track, Feature.PII_RATE, total > 0 ? 1 : 0);
  }

  /** A feedback rating, on 1..5 (down = 1, up = 5). */
  public void recordRating(String tenant, String track, int stars) {
    drift.observe(tenant, track, Feature.RATING, stars);
  }

  /** The outcome of one duplicate check. */
  public void recordDedup(String tenant, String track, boolean duplicate) {
    drift.observe(tenant, track, Feature.DUPLICATE_RATE, duplicate ? 1 : 0);
  }

  private static String orUnknown(String value) {
    return value == null ? UNKNOWN : value;
  }
}
