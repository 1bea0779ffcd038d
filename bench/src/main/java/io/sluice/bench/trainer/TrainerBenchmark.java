package io.sluice.bench.trainer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.OffsetRange;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.Split;
import io.sluice.schemas.event.ChatMessages;
import io.sluice.trainer.TrainerConfig;
import io.sluice.trainer.TrainerService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code sluice bench trainer}: curated examples of several tracks in, candidates out, on a real
 * broker with the default model. Reports examples/s from the first curated record to the last
 * candidate, and per window the time from its last example's write to its candidate's arrival.
 */
public final class TrainerBenchmark {

  /** What one run measured. */
  public record Result(
      int examples,
      int windows,
      double seconds,
      double examplesPerSecond,
      List<Double> windowLatencies,
      double medianWindowLatency) {}

  private TrainerBenchmark() {}

  public static Result run(
      String bootstrap, Path store, int tracks, int windowSize, int windowsPerTrack, int epochs)
      throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    settings.put(TrainerConfig.ADAPTER_STORE_CONFIG, store.toString());
    settings.put(TrainerConfig.INSTANCE_ID_CONFIG, "bench");
    settings.put(TrainerConfig.GROUP_ID_CONFIG, "sluice-trainer-bench");
    settings.put(TrainerConfig.WINDOW_MIN_EXAMPLES_CONFIG, Integer.toString(windowSize));
    settings.put(TrainerConfig.MIN_INTERVAL_CONFIG, "0");
    settings.put(TrainerConfig.EPOCHS_CONFIG, Integer.toString(epochs));
    int total = tracks * windowSize * windowsPerTrack;
    Map<String, Long> lastWriteByRange = new HashMap<>();
    long start = System.nanoTime();
    try (TrainerService trainer =
        TrainerService.start(
            TrainerConfig.load(Optional.empty(), Map.of(), settings),
            new SimpleMeterRegistry(),
            null)) {
      Map<TopicPartition, List<long[]>> writes = send(bootstrap, tracks, total);
      List<Double> latencies = new ArrayList<>();
      List<AdapterCandidate> candidates = new ArrayList<>();
      try (KafkaConsumer<String, AdapterCandidate> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                  "read_committed",
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "sluice-trainer-bench-reader-" + System.nanoTime(),
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                  "earliest"),
              new StringDeserializer(),
              Topics.ADAPTERS_CANDIDATES.valueSerde().deserializer())) {
        consumer.subscribe(List.of(Topics.ADAPTERS_CANDIDATES.name()));
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        while (candidates.size() < tracks * windowsPerTrack && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, AdapterCandidate> r : consumer.poll(Duration.ofMillis(100))) {
            long arrived = System.nanoTime();
            candidates.add(r.value());
            latencies.add((arrived - lastWrite(r.value(), writes)) / 1e9);
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      List<Double> sorted = latencies.stream().sorted().toList();
      double median = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
      return new Result(total, candidates.size(), seconds, total / seconds, latencies, median);
    }
  }

  /** The nano time at which the last example of the candidate's window was acknowledged. */
  private static long lastWrite(
      AdapterCandidate candidate, Map<TopicPartition, List<long[]>> writes) {
    long last = Long.MIN_VALUE;
    for (OffsetRange range : candidate.getSources()) {
      for (long[] w :
          writes.getOrDefault(
              new TopicPartition(range.getTopic(), range.getPartition()), List.of())) {
        if (w[0] == range.getUntilOffset() - 1) {
          last = Math.max(last, w[1]);
        }
      }
    }
    return last;
  }

  private static Map<TopicPartition, List<long[]>> send(String bootstrap, int tracks, int total) {
    Map<TopicPartition, List<long[]>> writes = new HashMap<>();
    try (KafkaProducer<String, CuratedExample> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            Topics.EXAMPLES_CURATED.valueSerde().serializer())) {
      for (int i = 0; i < total; i++) {
        String track = "lane" + (i % tracks);
        CuratedExample record =
            CuratedExample.newBuilder()
                .setId("bench-" + i)
                .setSourceId("bench-" + i)
                .setTenant("bench")
                .setTrack(track)
                .setKind(ExampleKind.SFT)
                .setOrigin(Origin.EXAMPLE)
                .setPrompt(
                    List.of(
                        ChatMessages.of(
                            Role.user,
                            "How do I configure feature " + i + " on device " + (i % 17) + "?")))
                .setCompletion(
                    "Open Settings, choose feature "
                        + i
                        + " and press Apply; it takes effect at once.")
                .setSplit(Split.TRAIN)
                .setContentHash("bench-" + i)
                .setLineage(new Lineage(Topics.EVENTS_RAW.name(), 0, (long) i))
                .setEventTimestamp(Instant.now())
                .setCuratedAt(Instant.now())
                .build();
        producer.send(
            new ProducerRecord<>(
                Topics.EXAMPLES_CURATED.name(), Topics.trackKey("bench", track), record),
            (RecordMetadata m, Exception e) -> {
              if (e == null) {
                synchronized (writes) {
                  writes
                      .computeIfAbsent(
                          new TopicPartition(m.topic(), m.partition()), p -> new ArrayList<>())
                      .add(new long[] {m.offset(), System.nanoTime()});
                }
              }
            });
      }
      producer.flush();
    }
    return writes;
  }
}
