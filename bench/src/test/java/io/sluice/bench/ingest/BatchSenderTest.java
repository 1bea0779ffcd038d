package io.sluice.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice send}'s client against a real ingest service and broker. */
class BatchSenderTest {

  @TempDir Path dir;

  @Test
  void shouldSendFileInBatchesAndStopAtRefusedBatchWithFileLineNumbers() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      lines.add(example("s-" + i, "acme"));
    }
    lines.add("");
    lines.add(example("s-7", "Acme"));
    lines.add(example("s-8", "acme"));
    Path file = Files.write(dir.resolve("events.jsonl"), lines);

    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
        IngestServer ingest = IngestServer.start(ingestConfig(broker.bootstrapServers()))) {
      BatchSender sender =
          new BatchSender(
              URI.create("http://localhost:" + ingest.port()),
              Optional.empty(),
              3,
              1 << 20,
              Duration.ofSeconds(30),
              0);
      AtomicLong progress = new AtomicLong();

      BatchSender.Result result = sender.send(file, progress::addAndGet);

      assertThat(result.batches()).isEqualTo(2);
      assertThat(result.events()).isEqualTo(5);
      assertThat(progress.get()).isPositive();
      BatchSender.Failure failure = result.failure().orElseThrow();
      assertThat(failure.status()).isEqualTo(422);
      assertThat(failure.firstLine()).isEqualTo(7);
      assertThat(failure.findings()).singleElement().asString().startsWith("line 7 /tenant: ");
      assertThat(committedIds(broker.bootstrapServers(), 5))
          .containsExactly("s-1", "s-2", "s-3", "s-4", "s-5");
    }
  }

  private static IngestConfig ingestConfig(String bootstrapServers) {
    return IngestConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            IngestConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            IngestConfig.PORT_CONFIG, "0",
            IngestConfig.HOST_CONFIG, "127.0.0.1"));
  }

  /** Ids of the raw topic's committed events; one track, so one partition, in order. */
  private static List<String> committedIds(String bootstrapServers, int expected) {
    Map<String, Object> properties =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG, "batch-sender-test",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, RawEvent> consumer =
        new KafkaConsumer<>(
            properties, new StringDeserializer(), Topics.EVENTS_RAW.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.EVENTS_RAW.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (ids.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> ids.add(record.value().getId()));
      }
    }
    return ids;
  }

  private static String example(String id, String tenant) {
    return "{\"type\":\"example\",\"id\":\""
        + id
        + "\",\"tenant\":\""
        + tenant
        + "\",\"track\":\"send\",\"prompt\":\"Say hi\",\"completion\":\"Hi!\"}";
  }
}
