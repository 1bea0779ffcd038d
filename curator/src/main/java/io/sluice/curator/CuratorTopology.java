package io.sluice.curator;

import io.sluice.curator.Messages.Converted;
import io.sluice.curator.Messages.Governed;
import io.sluice.curator.Messages.PendingRejection;
import io.sluice.curator.filter.QualityFilter;
import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.curator.pii.PiiAnonymizer;
import io.sluice.curator.split.HoldoutSplitter;
import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
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
   * v2: binary entries and 32-bit MinHash signatures, which are not comparable with the 64-bit ones
   * of the string-valued {@code curator-dedup-store} it replaced, so it has a new name and
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

    // Where records go. A processor forwards only through the outputs it is given here, and a
    // node's parents are the nodes whose outputs name it, so each edge is written once.
    Edges edges = new Edges();
    Output<Void> trackKeys = edges.from(DECODE, REPORT_DRIFT);
    Output<RawEvent> decoded = edges.from(DECODE, VALIDATE);
    Output<PendingRejection> unreadable = edges.from(DECODE, ANONYMIZE_REJECTED);
    Output<RawEvent> validated = edges.from(VALIDATE, CONVERT);
    Output<PendingRejection> invalid = edges.from(VALIDATE, ANONYMIZE_REJECTED);
    Output<Converted> converted = edges.from(CONVERT, ANONYMIZE);
    Output<PendingRejection> notTrainingData = edges.from(CONVERT, ANONYMIZE_REJECTED);
    Output<Governed> anonymized = edges.from(ANONYMIZE, FILTER);
    Output<Governed> passedFilter = edges.from(FILTER, DEDUPLICATE);
    Output<RejectedEvent> filteredOut = edges.from(FILTER, REJECTED_SINK);
    Output<Governed> unique = edges.from(DEDUPLICATE, SPLIT);
    Output<RejectedEvent> duplicates = edges.from(DEDUPLICATE, REJECTED_SINK);
    Output<CuratedExample> curated = edges.from(SPLIT, CURATED_SINK);
    Output<RejectedEvent> anonymizedRejections = edges.from(ANONYMIZE_REJECTED, REJECTED_SINK);
    Output<DriftReport> driftReports = edges.from(REPORT_DRIFT, DRIFT_SINK);

    Topology topology = new Topology();
    topology.addSource(
        SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.EVENTS_RAW.name());
    topology.addProcessor(
        DECODE, () -> new DecodeProcessor(metrics, decoded, unreadable, trackKeys), SOURCE);
    topology.addProcessor(
        VALIDATE,
        () -> new ValidateProcessor(metrics, config.eventLimits(), validated, invalid),
        edges.into(VALIDATE));
    topology.addProcessor(
        CONVERT,
        () -> new ConvertProcessor(metrics, converted, notTrainingData),
        edges.into(CONVERT));
    topology.addProcessor(
        ANONYMIZE,
        () -> new AnonymizeProcessor(anonymizer, metrics, anonymized),
        edges.into(ANONYMIZE));
    topology.addProcessor(
        FILTER,
        () -> new FilterProcessor(filter, metrics, passedFilter, filteredOut),
        edges.into(FILTER));
    topology.addProcessor(
        DEDUPLICATE,
        () ->
            new DedupProcessor(
                config.dedup(), config.dedupSweepIntervalMs(), metrics, unique, duplicates),
        edges.into(DEDUPLICATE));
    topology.addStateStore(
        // Not cached: every write is a distinct key written once (an admitted record) or a delete,
        // so a cache would only add a copy and a flush per record.
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEDUP_STORE), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingDisabled(),
        DEDUPLICATE);
    topology.addProcessor(
        SPLIT, () -> new SplitProcessor(splitter, metrics, curated), edges.into(SPLIT));
    topology.addProcessor(
        ANONYMIZE_REJECTED,
        () -> new AnonymizeRejectedProcessor(anonymizer, metrics, anonymizedRejections),
        edges.into(ANONYMIZE_REJECTED));
    topology.addProcessor(
        REPORT_DRIFT,
        () ->
            new DriftReportProcessor(
                metrics.drift(), config.drift().reportIntervalMs(), driftReports),
        edges.into(REPORT_DRIFT));
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DRIFT_STORE), Serdes.String(), Serdes.ByteArray())
            .withCachingDisabled(),
        REPORT_DRIFT);
    addSink(topology, DRIFT_SINK, Topics.DRIFT, edges);
    addSink(topology, CURATED_SINK, Topics.EXAMPLES_CURATED, edges);
    addSink(topology, REJECTED_SINK, Topics.EVENTS_REJECTED, edges);
    return topology;
  }

  private static <V> void addSink(
      Topology topology, String name, Topic<String, V> topic, Edges edges) {
    topology.addSink(
        name,
        topic.name(),
        new StringSerializer(),
        topic.valueSerde().serializer(),
        edges.into(name));
  }

  /** The edges between processors, collected as outputs are made. */
  private static final class Edges {

    private final Map<String, Set<String>> parents = new LinkedHashMap<>();

    /** The output of {@code parent} that goes to {@code child}. */
    <V> Output<V> from(String parent, String child) {
      parents.computeIfAbsent(child, name -> new LinkedHashSet<>()).add(parent);
      return new Output<>(child);
    }

    /** The nodes with an output to {@code child}. */
    String[] into(String child) {
      Set<String> from = parents.get(child);
      if (from == null) {
        throw new IllegalStateException("no output goes to " + child);
      }
      return from.toArray(String[]::new);
    }
  }
}
