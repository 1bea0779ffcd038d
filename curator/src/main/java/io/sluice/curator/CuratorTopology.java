package io.sluice.curator;

import io.sluice.curator.filter.QualityFilter;
import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.curator.pii.PiiAnonymizer;
import io.sluice.curator.split.HoldoutSplitter;
import io.sluice.schemas.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The curator as one Kafka Streams topology: raw events in, curated examples and rejected events
 * out. Every node and the store have fixed names (renaming one changes the changelog topic or the
 * committed structure, so {@code CuratorTopologyTest} pins the description).
 *
 * <pre>
 * events-raw-source -> decode-event -> validate-event -> convert-feedback -> anonymize-pii
 *   -> filter-quality -> deduplicate -> split-holdout -> examples-curated-sink
 * decode/validate/convert rejections -> anonymize-rejected -> events-rejected-sink
 * filter/deduplicate rejections (already anonymized)       -> events-rejected-sink
 * decode-event (the key of every raw record) -> report-drift [curator-drift-store] -> drift-sink
 * </pre>
 *
 * Values are read as bytes and decoded in {@code decode-event}, so a record another producer wrote
 * in some other format becomes a rejected record instead of a deserialization failure.
 */
public final class CuratorTopology {

  public static final String SOURCE = "events-raw-source";
  public static final String DECODE = "decode-event";
  public static final String VALIDATE = "validate-event";
  public static final String CONVERT = "convert-feedback";
  public static final String ANONYMIZE = "anonymize-pii";
  public static final String FILTER = "filter-quality";
  public static final String DEDUPLICATE = "deduplicate";
  public static final String SPLIT = "split-holdout";
  public static final String ANONYMIZE_REJECTED = "anonymize-rejected";
  public static final String CURATED_SINK = "examples-curated-sink";
  public static final String REJECTED_SINK = "events-rejected-sink";
  public static final String REPORT_DRIFT = "report-drift";
  public static final String DRIFT_SINK = "drift-sink";
  public static final String DRIFT_STORE = "curator-drift-store";
  /**
   * v2: binary entries and 32-bit MinHash signatures, which are not comparable with the 64-bit
   * ones of the string-valued {@code curator-dedup-store} it replaced, so it has a new name and
   * changelog rather than misreading old entries.
   */
  public static final String DEDUP_STORE = "curator-dedup-v2";

  private CuratorTopology() {}

  /** The topology with metrics kept in a private registry. */
  public static Topology build(CuratorConfig config) {
    return build(config, CuratorMetrics.standalone(config.drift()));
  }

  /** The topology, reporting counters and drift gauges to {@code metrics}. */
  public static Topology build(CuratorConfig config, CuratorMetrics metrics) {
    EventAnonymizer anonymizer = new EventAnonymizer(new PiiAnonymizer(config.pii()));
    QualityFilter filter = new QualityFilter(config.filter());
    HoldoutSplitter splitter = new HoldoutSplitter(config.holdoutFraction());
    Topology topology = new Topology();
    topology.addSource(
        SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.EVENTS_RAW.name());
    topology.addProcessor(DECODE, () -> new DecodeProcessor(metrics), SOURCE);
    topology.addProcessor(VALIDATE, () -> new ValidateProcessor(metrics, config.eventLimits()), DECODE);
    topology.addProcessor(CONVERT, () -> new ConvertProcessor(metrics), VALIDATE);
    topology.addProcessor(ANONYMIZE, () -> new AnonymizeProcessor(anonymizer, metrics), CONVERT);
    topology.addProcessor(FILTER, () -> new FilterProcessor(filter, metrics), ANONYMIZE);
    topology.addProcessor(
        DEDUPLICATE,
        () -> new DedupProcessor(config.dedup(), config.dedupSweepIntervalMs(), metrics),
        FILTER);
    topology.addStateStore(
        // Not cached: every write is a distinct key written once (an admitted record) or a delete,
        // so a cache would only add a copy and a flush per record.
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEDUP_STORE), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingDisabled(),
        DEDUPLICATE);
    topology.addProcessor(SPLIT, () -> new SplitProcessor(splitter, metrics), DEDUPLICATE);
    topology.addProcessor(
        ANONYMIZE_REJECTED,
        () -> new AnonymizeRejectedProcessor(anonymizer, metrics),
        DECODE,
        VALIDATE,
        CONVERT);
    topology.addProcessor(
        REPORT_DRIFT, () -> new DriftReportProcessor(metrics.drift(), config.drift().reportIntervalMs()), DECODE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DRIFT_STORE), Serdes.String(), Serdes.ByteArray())
            .withCachingDisabled(),
        REPORT_DRIFT);
    topology.addSink(
        DRIFT_SINK, Topics.DRIFT.name(), new StringSerializer(), Topics.DRIFT.valueSerde().serializer(), REPORT_DRIFT);
    topology.addSink(
        CURATED_SINK,
        Topics.EXAMPLES_CURATED.name(),
        new StringSerializer(),
        Topics.EXAMPLES_CURATED.valueSerde().serializer(),
        SPLIT);
    topology.addSink(
        REJECTED_SINK,
        Topics.EVENTS_REJECTED.name(),
        new StringSerializer(),
        Topics.EVENTS_REJECTED.valueSerde().serializer(),
        ANONYMIZE_REJECTED,
        FILTER,
        DEDUPLICATE);
    return topology;
  }
}
