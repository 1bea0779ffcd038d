package io.sluice.schemas;

import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RegistryEntry;
import io.sluice.schemas.avro.RejectedEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalog: every topic Sluice reads or writes, with its layout and serdes. Keys are
 * {@code tenant/track} (see {@link #trackKey}) so that one track's records stay ordered on one
 * partition.
 */
public final class Topics {

  /**
   * Largest record the data topics accept ({@code max.message.bytes}). Ingest takes events up to 1
   * MiB by default; the curator's records carry a whole anonymized event plus lineage and may be
   * larger than their source, so the topics leave room above the ingest limit.
   */
  public static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

  private static final String MAX_RECORD = Integer.toString(MAX_RECORD_BYTES);
  private static final String FOREVER = "-1";
  private static final String SEVEN_DAYS_MS = Long.toString(7L * 24 * 60 * 60 * 1000);
  private static final String THIRTY_DAYS_MS = Long.toString(30L * 24 * 60 * 60 * 1000);

  /**
   * Native events as accepted by ingest; the curator's input. Raw PII lives here, so it expires.
   */
  public static final Topic<String, RawEvent> EVENTS_RAW =
      topic(
          "sluice.events.raw",
          6,
          Map.of(
              TopicConfig.RETENTION_MS_CONFIG,
              SEVEN_DAYS_MS,
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
              MAX_RECORD),
          RawEvent.class,
          EarlierSchemas.of("RawEvent", 1));

  /** Events the curator refused, with reason and lineage, anonymized. */
  public static final Topic<String, RejectedEvent> EVENTS_REJECTED =
      topic(
          "sluice.events.rejected",
          3,
          Map.of(
              TopicConfig.RETENTION_MS_CONFIG,
              THIRTY_DAYS_MS,
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
              MAX_RECORD),
          RejectedEvent.class);

  /** Governed training data; kept, since adapters are retrained from it. */
  public static final Topic<String, CuratedExample> EXAMPLES_CURATED =
      topic(
          "sluice.examples.curated",
          6,
          Map.of(
              TopicConfig.RETENTION_MS_CONFIG,
              FOREVER,
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
              MAX_RECORD),
          CuratedExample.class,
          EarlierSchemas.of("CuratedExample", 1));

  /**
   * The curator's drift reports, one per tenant/track per report interval: for dashboards, alerts
   * and the trainer. Only the recent past matters, so it expires.
   */
  public static final Topic<String, DriftReport> DRIFT =
      topic(
          "sluice.drift",
          3,
          Map.of(TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS_MS),
          DriftReport.class);

  /** Freshly trained adapters awaiting evaluation. */
  public static final Topic<String, AdapterCandidate> ADAPTERS_CANDIDATES =
      topic(
          "sluice.adapters.candidates",
          3,
          Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER),
          AdapterCandidate.class,
          EarlierSchemas.of("AdapterCandidate", 1));

  /** Evaluation reports of candidates. */
  public static final Topic<String, EvaluationReport> ADAPTERS_EVALUATIONS =
      topic(
          "sluice.adapters.evaluations",
          3,
          Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER),
          EvaluationReport.class,
          EarlierSchemas.of("EvaluationReport", 1));

  /** Promote / reject / rollback decisions: the audit trail of the registry. */
  public static final Topic<String, PromotionDecision> ADAPTERS_DECISIONS =
      topic(
          "sluice.adapters.decisions",
          3,
          Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER),
          PromotionDecision.class);

  /** The adapter serving each tenant/track; compacted so the latest entry per key is kept. */
  public static final Topic<String, RegistryEntry> ADAPTERS_REGISTRY =
      topic(
          "sluice.adapters.registry",
          3,
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_COMPACT,
              TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
              "0"),
          RegistryEntry.class);

  /** Every topic, in flow order. */
  public static final List<Topic<String, ?>> ALL =
      List.of(
          EVENTS_RAW,
          EVENTS_REJECTED,
          EXAMPLES_CURATED,
          DRIFT,
          ADAPTERS_CANDIDATES,
          ADAPTERS_EVALUATIONS,
          ADAPTERS_DECISIONS,
          ADAPTERS_REGISTRY);

  private Topics() {}

  /** The record key of a tenant's track: {@code tenant/track}. */
  public static String trackKey(String tenant, String track) {
    return tenant + "/" + track;
  }

  /** The catalog topic with this name, if any. */
  public static Optional<Topic<String, ?>> byName(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(
      String name, int partitions, Map<String, String> configs, Class<V> valueType) {
    return topic(name, partitions, configs, valueType, List.of());
  }

  /** A topic whose values may also have been written with {@code earlierWriters}. */
  private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(
      String name,
      int partitions,
      Map<String, String> configs,
      Class<V> valueType,
      List<org.apache.avro.Schema> earlierWriters) {
    Serde<String> keys = Serdes.String();
    AvroSerde<V> values = AvroSerde.of(valueType);
    earlierWriters.forEach(values::withWriterSchema);
    return new Topic<>(name, partitions, configs, keys, values);
  }
}
