package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer against a real broker, with its producer held at the start of the first transaction so
 * that a waiter's patience runs out deterministically.
 */
class EventWriterTest {

  @TempDir static Path brokerDir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(brokerDir, 0);
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @Test
  void shouldNeverWriteWhatItsWaiterGaveUpOnAndAnswerWhatTheWriterTook() throws Exception {
    String track = "withdraw-test";
    CountDownLatch inTransaction = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    IngestConfig config = TestConfigs.ingest(broker.bootstrapServers(), Map.of());
    try (EventWriter writer =
        new EventWriter(
            config,
            "withdraw-test",
            new SimpleMeterRegistry(),
            properties ->
                new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer()) {
                  @Override
                  public void beginTransaction() {
                    inTransaction.countDown();
                    awaitQuietly(gate);
                    super.beginTransaction();
                  }
                })) {
      EventWriter.PendingWrite taken = writer.write(List.of(event("taken", track)));
      assertThat(inTransaction.await(30, TimeUnit.SECONDS)).isTrue();
      EventWriter.PendingWrite queued = writer.write(List.of(event("given-up", track)));

      // The writer holds "taken": a waiter out of patience must get the writer's outcome.
      CompletableFuture<List<RecordMetadata>> takenOutcome =
          CompletableFuture.supplyAsync(() -> awaitUnchecked(taken, Duration.ofMillis(1)));
      // "given-up" is still queued: its waiter withdraws it and may say "nothing written".
      assertThatThrownBy(() -> queued.await(Duration.ofMillis(1)))
          .isInstanceOfSatisfying(
              WriteFailedException.class, e -> assertThat(e.brokerUnavailable()).isTrue());
      gate.countDown();

      assertThat(takenOutcome.get(30, TimeUnit.SECONDS)).hasSize(1);
      assertThat(writer.write(List.of(event("after", track))).await(Duration.ofSeconds(30)))
          .hasSize(1);
    }
    List<String> written =
        CommittedEvents.read(broker, 2, Duration.ofSeconds(20)).stream()
            .map(ConsumerRecord::value)
            .filter(event -> event.getTrack().equals(track))
            .map(RawEvent::getId)
            .toList();
    assertThat(written).containsExactly("taken", "after");
  }

  private static RawEvent event(String id, String track) throws Exception {
    return ((ParseResult.Valid)
            NativeEvents.parse(
                IngestHttp.MAPPER.readTree(IngestServerTest.example(id, track)),
                ServerDefaults.system()))
        .event();
  }

  private static List<RecordMetadata> awaitUnchecked(
      EventWriter.PendingWrite write, Duration patience) {
    try {
      return write.await(patience);
    } catch (WriteFailedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
