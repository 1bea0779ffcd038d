package io.sluice.curator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.curator.drift.DriftConfig;
import io.sluice.curator.drift.DriftMonitor;
import io.sluice.curator.drift.Feature;
import io.sluice.curator.drift.Script;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.Stage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters and drift of the curator. Counter names are dotted (Micrometer); Prometheus shows {@code
 * sluice_curator_records_in_total}, {@code sluice_curator_records_out_total}, {@code
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

  /**
   * Each track's counters, by tenant then track: looking a counter up in the registry (tags sorted,
   * an id built and hashed) for every record was a few percent of the curator's time.
   */
  private final Map<String, Map<String, TrackCounters>> counters = new ConcurrentHashMap<>();

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
    counters(tenant, track).in().increment();
  }

  /** A curated record was emitted; {@code script} is the {@link Script} category of its prompt. */
  public void recordCurated(
      String tenant,
      String track,
      String kind,
      String split,
      int promptChars,
      int answerChars,
      int script) {
    counters(tenant, track).out(kind, split).increment();
    drift.observe(tenant, track, Feature.PROMPT_LENGTH, promptChars);
    drift.observe(tenant, track, Feature.LANGUAGE, script);
    drift.observe(tenant, track, Feature.COMPLETION_LENGTH, answerChars);
    drift.observe(
        tenant, track, Feature.REJECTION_REASON, Feature.Outcomes.value(Feature.Outcomes.CURATED));
  }

  /** A record was rejected; tenant and track are null when it could not be read. */
  public void recordRejected(String tenant, String track, Stage stage, RejectionReason reason) {
    counters(tenant, track).rejected(stage.name(), reason.name()).increment();
    if (tenant != null && track != null) {
      drift.observe(tenant, track, Feature.REJECTION_REASON, Feature.Outcomes.value(reason.name()));
    }
  }

  /** PII spans replaced in one event, by type; feeds the PII-rate drift too. */
  public void recordPii(String tenant, String track, Map<String, Integer> counts) {
    int total = 0;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      counters(tenant, track).pii(entry.getKey()).increment(entry.getValue());
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

  private TrackCounters counters(String tenant, String track) {
    String tenantTag = orUnknown(tenant);
    String trackTag = orUnknown(track);
    return counters
        .computeIfAbsent(tenantTag, key -> new ConcurrentHashMap<>())
        .computeIfAbsent(trackTag, key -> new TrackCounters(tenantTag, trackTag));
  }

  /** The counters of one tenant/track, each registered on first use. */
  private final class TrackCounters {

    private final String tenant;
    private final String track;

    /** Registered on first use, like the others; a benign race registers the same counter. */
    private volatile Counter in;

    private final Map<String, Map<String, Counter>> out = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> pii = new ConcurrentHashMap<>();

    private TrackCounters(String tenant, String track) {
      this.tenant = tenant;
      this.track = track;
    }

    private Counter in() {
      Counter counter = in;
      if (counter == null) {
        counter = registry.counter(RECORDS_IN, "tenant", tenant, "track", track);
        in = counter;
      }
      return counter;
    }

    private Counter out(String kind, String split) {
      return out.computeIfAbsent(kind, key -> new ConcurrentHashMap<>())
          .computeIfAbsent(
              split,
              key ->
                  registry.counter(
                      RECORDS_OUT, "tenant", tenant, "track", track, "kind", kind, "split", split));
    }

    private Counter rejected(String stage, String reason) {
      return rejected
          .computeIfAbsent(stage, key -> new ConcurrentHashMap<>())
          .computeIfAbsent(
              reason,
              key ->
                  registry.counter(
                      RECORDS_REJECTED,
                      "tenant",
                      tenant,
                      "track",
                      track,
                      "stage",
                      stage,
                      "reason",
                      reason));
    }

    private Counter pii(String type) {
      return pii.computeIfAbsent(
          type, key -> registry.counter(PII, "tenant", tenant, "track", track, "type", type));
    }
  }
}
