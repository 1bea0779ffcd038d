package io.sluice.app;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the quickstart found on the topics once every raw event was curated or rejected. */
record QuickstartReport(
    List<RawEvent> raw,
    List<CuratedExample> curated,
    List<RejectedEvent> rejected,
    boolean complete) {

  /** The answer of the batch endpoint. */
  record Sent(int lines, int status, String body) {
    static Sent of(String ndjson, int status, String body) {
      int lines = (int) ndjson.lines().filter(line -> !line.isBlank()).count();
      return new Sent(lines, status, body);
    }
  }

  /**
   * Reads the raw, curated and rejected topics (committed records only) until every raw event is
   * accounted for by a curated or rejected record, or the timeout passes.
   */
  static QuickstartReport await(String bootstrapServers, int expectedRaw, Duration timeout) {
    List<RawEvent> raw = new ArrayList<>();
    List<CuratedExample> curated = new ArrayList<>();
    List<RejectedEvent> rejected = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(
          List.of(
              Topics.EVENTS_RAW.name(),
              Topics.EXAMPLES_CURATED.name(),
              Topics.EVENTS_REJECTED.name()));
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          String topic = record.topic();
          if (topic.equals(Topics.EVENTS_RAW.name())) {
            raw.add(
                Topics.EVENTS_RAW.valueSerde().deserializer().deserialize(topic, record.value()));
          } else if (topic.equals(Topics.EXAMPLES_CURATED.name())) {
            curated.add(
                Topics.EXAMPLES_CURATED
                    .valueSerde()
                    .deserializer()
                    .deserialize(topic, record.value()));
          } else {
            rejected.add(
                Topics.EVENTS_REJECTED
                    .valueSerde()
                    .deserializer()
                    .deserialize(topic, record.value()));
          }
        }
        if (raw.size() >= expectedRaw && accountedFor(raw, curated, rejected)) {
          return new QuickstartReport(raw, curated, rejected, true);
        }
      }
    }
    return new QuickstartReport(raw, curated, rejected, false);
  }

  private static boolean accountedFor(
      List<RawEvent> raw, List<CuratedExample> curated, List<RejectedEvent> rejected) {
    Set<String> seen = new HashSet<>();
    curated.forEach(c -> seen.add(c.getSourceId()));
    rejected.forEach(r -> seen.add(r.getSourceId()));
    return raw.stream().allMatch(e -> seen.contains(e.getId()));
  }

  void print(PrintStream out) {
    out.printf("%-26s %4d events%n", Topics.EVENTS_RAW.name(), raw.size());
    out.printf("%-26s %4d records%n", Topics.EXAMPLES_CURATED.name(), curated.size());
    count(curated.stream().map(c -> c.getTenant() + "/" + c.getTrack()).toList())
        .forEach((track, n) -> out.printf("    %-30s %s%n", track, curatedBreakdown(track)));
    out.printf("%-26s %4d records%n", Topics.EVENTS_REJECTED.name(), rejected.size());
    count(rejected.stream().map(r -> r.getStage() + " " + r.getReason()).toList())
        .forEach((reason, n) -> out.printf("    %-30s %d%n", reason, n));
    out.printf("PII replaced               %s%n", piiTotals().isEmpty() ? "none" : piiTotals());
    if (!complete) {
      out.println("\nNot every raw event was curated or rejected in time; see the log above.");
      return;
    }
    curated.stream()
        .filter(c -> !c.getPiiCounts().isEmpty())
        .findFirst()
        .or(() -> curated.stream().findFirst())
        .ifPresent(
            example -> out.printf("%nA curated record:%n%s%n", QuickstartCommand.json(example)));
    rejected.stream()
        .filter(r -> r.getDuplicateOf() != null)
        .findFirst()
        .ifPresent(dup -> out.printf("%nA rejected duplicate:%n%s%n", QuickstartCommand.json(dup)));
  }

  private String curatedBreakdown(String track) {
    List<CuratedExample> ofTrack =
        curated.stream().filter(c -> (c.getTenant() + "/" + c.getTrack()).equals(track)).toList();
    Map<String, Integer> kinds = count(ofTrack.stream().map(c -> c.getKind().name()).toList());
    Map<String, Integer> splits =
        count(ofTrack.stream().map(c -> c.getSplit().name().toLowerCase()).toList());
    return kinds + " " + splits;
  }

  /** Tracks with at least their window minimum of curated train records: each fills a window. */
  Set<String> trainableTracks(java.util.function.ToIntFunction<String> minimumOfTrack) {
    Map<String, Integer> train =
        count(
            curated.stream()
                .filter(c -> c.getSplit() == io.sluice.schemas.avro.Split.TRAIN)
                .map(c -> Topics.trackKey(c.getTenant(), c.getTrack()))
                .toList());
    train.entrySet().removeIf(e -> e.getValue() < minimumOfTrack.applyAsInt(e.getKey()));
    return new java.util.TreeSet<>(train.keySet());
  }

  Map<String, Integer> rejectedByReason() {
    return count(rejected.stream().map(RejectedEvent::getReason).toList());
  }

  long duplicates() {
    return rejected.stream().filter(r -> r.getDuplicateOf() != null).count();
  }

  Map<String, Integer> piiTotals() {
    Map<String, Integer> totals = new TreeMap<>();
    curated.forEach(
        c -> c.getPiiCounts().forEach((type, n) -> totals.merge(type, n, Integer::sum)));
    rejected.forEach(
        r -> r.getPiiCounts().forEach((type, n) -> totals.merge(type, n, Integer::sum)));
    return totals;
  }

  private static Map<String, Integer> count(List<String> values) {
    Map<String, Integer> counts = new TreeMap<>();
    values.forEach(v -> counts.merge(v, 1, Integer::sum));
    return counts;
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG, "sluice-quickstart-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
