package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curator on a real in-process broker: exactly-once across a stop in mid-stream and a restart
 * with the same application id and state directory.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CuratorEndToEndTest {

  @RegisterExtension static final CuratorBroker BROKER = new CuratorBroker();

  @TempDir Path stateDir;

  private CuratorConfig config() {
    return BROKER.curatorConfig("curator-e2e", stateDir, Map.of());
  }

  /** Event i: tracks rotate over three tenants/tracks; every 10th carries an email and a phone. */
  private static RawEvent event(String id, int i) {
    String pii =
        i % 10 == 0
            ? " Reach me at user" + i + "@example.com or 212-555-01" + (10 + i % 80) + "."
            : "";
    return Events.question(id, i, pii);
  }

  @Test
  void shouldAccountForEveryEventExactlyOnceAcrossAStopAndRestart() throws Exception {
    Map<String, RawEvent> sent = new HashMap<>();
    try (KafkaProducer<String, byte[]> producer = RawTraffic.producer(BROKER.bootstrapServers())) {
      // Phase 1: 200 events, 20 of them exact copies of earlier ones under new ids.
      for (int i = 0; i < 200; i++) {
        RawEvent event =
            i % 10 == 9 ? RawTraffic.copy(sent.get("e" + (i - 5)), "copy" + i) : event("e" + i, i);
        RawTraffic.send(producer, event, sent);
      }
      producer.flush();

      CuratorService first = CuratorService.start(config(), new SimpleMeterRegistry());
      first.awaitRunning(Duration.ofSeconds(60));
      // Phase 2: input keeps arriving while the curator is stopped.
      CompletableFuture<Void> midStream =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 200; i < 400; i++) {
                  RawTraffic.send(producer, event("e" + i, i), sent);
                  pause(); // a trickle, so the stop below lands while input is still arriving
                }
                producer.flush();
              });
      waitForOutputs(50, Duration.ofSeconds(60));
      first.close();
      midStream.get(60, TimeUnit.SECONDS);

      // Phase 3: copies of phase-1 events arrive after the restart.
      for (int i = 400; i < 420; i++) {
        RawTraffic.send(
            producer, RawTraffic.copy(sent.get("e" + (i - 400) * 10), "late" + i), sent);
      }
      producer.flush();
    }
    try (CuratorService second = CuratorService.start(config(), new SimpleMeterRegistry())) {
      second.awaitRunning(Duration.ofSeconds(60));
      Outputs outputs = waitForOutputs(sent.size(), Duration.ofSeconds(60));

      List<String> accounted = new ArrayList<>();
      outputs.curated.forEach(c -> accounted.add(c.getSourceId()));
      outputs.rejected.forEach(r -> accounted.add(r.getSourceId()));
      assertThat(accounted)
          .as("every input exactly once")
          .containsExactlyInAnyOrderElementsOf(sent.keySet());

      Map<String, String> duplicateOf = new HashMap<>();
      outputs.rejected.forEach(r -> duplicateOf.put(r.getSourceId(), r.getDuplicateOf()));
      for (int i = 400; i < 420; i++) {
        assertThat(duplicateOf)
            .as("late copy %d spans the restart", i)
            .containsEntry("late" + i, "e" + (i - 400) * 10);
      }
      for (int i = 9; i < 200; i += 10) {
        assertThat(duplicateOf).containsEntry("copy" + i, "e" + (i - 5));
      }
      assertThat(outputs.curated).hasSize(380);
      assertThat(outputs.curated)
          .allSatisfy(c -> assertThat(c.getPrompt().toString()).doesNotContain("@example.com"));
      assertThat(outputs.curated.stream().filter(c -> c.getPiiCounts().containsKey("EMAIL")))
          .isNotEmpty();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Outputs(List<CuratedExample> curated, List<RejectedEvent> rejected) {
    int size() {
      return curated.size() + rejected.size();
    }
  }

  /**
   * Reads both output topics from the start, read_committed, until {@code count} records or the
   * deadline.
   */
  private static Outputs waitForOutputs(int count, Duration timeout) {
    Outputs outputs = new Outputs(new ArrayList<>(), new ArrayList<>());
    AvroSerde<CuratedExample> curatedSerde = AvroSerde.of(CuratedExample.class);
    AvroSerde<RejectedEvent> rejectedSerde = AvroSerde.of(RejectedEvent.class);
    try (KafkaConsumer<String, byte[]> consumer = BROKER.committedReader("e2e-reader")) {
      consumer.subscribe(List.of(Topics.EXAMPLES_CURATED.name(), Topics.EVENTS_REJECTED.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (outputs.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(Topics.EXAMPLES_CURATED.name())) {
            outputs.curated.add(curatedSerde.deserialize(record.topic(), record.value()));
          } else {
            outputs.rejected.add(rejectedSerde.deserialize(record.topic(), record.value()));
          }
        }
      }
      // Anything beyond the expected count would be a double: keep reading briefly to catch it.
      long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (outputs.size() >= count && System.nanoTime() < settle) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(Topics.EXAMPLES_CURATED.name())) {
            outputs.curated.add(curatedSerde.deserialize(record.topic(), record.value()));
          } else {
            outputs.rejected.add(rejectedSerde.deserialize(record.topic(), record.value()));
          }
        }
      }
    }
    return outputs;
  }
}
