package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curator killed uncleanly (SIGKILL of a child JVM, so no close, flush or abort runs) while
 * input is still arriving, twice: restarted first on the same state directory, then on an empty
 * one, which forces the dedup store to be restored from its changelog. Checked with read_committed:
 * every input exactly once across curated and rejected, and copies of events processed before a
 * kill still caught after it.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CuratorKillTest {

  private static final String APPLICATION_ID = "curator-kill";
  @RegisterExtension static final CuratorBroker BROKER = new CuratorBroker();

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldAccountForEveryEventExactlyOnceAcrossKillsAndAChangelogRestore() throws Exception {
    Map<String, RawEvent> sent = new HashMap<>();
    Map<String, String> expectedDuplicateOf = new HashMap<>();
    try (KafkaProducer<String, byte[]> producer = RawTraffic.producer(BROKER.bootstrapServers())) {
      for (int i = 0; i < 100; i++) {
        RawTraffic.send(producer, event("e" + i, i), sent);
      }
      producer.flush();

      Process first = startCurator(dir.resolve("state-a"), "first");
      CompletableFuture<Void> trickle = trickle(producer, sent, expectedDuplicateOf, 100, 300);
      waitForOutputs(60, Duration.ofSeconds(60));
      kill(first);

      // Same state directory: local RocksDB state, checkpoint possibly stale after the kill.
      Process second = startCurator(dir.resolve("state-a"), "second");
      trickle.get(60, TimeUnit.SECONDS);
      trickle = trickle(producer, sent, expectedDuplicateOf, 300, 450);
      waitForOutputs(320, Duration.ofSeconds(60));
      kill(second);

      // Empty state directory: the dedup store comes back from its changelog only.
      startCurator(dir.resolve("state-b"), "third");
      trickle.get(60, TimeUnit.SECONDS);
      for (int i = 0; i < 20; i++) {
        RawEvent late = RawTraffic.copy(sent.get("e" + i * 5), "late" + i);
        RawTraffic.send(producer, late, sent);
        expectedDuplicateOf.put(late.getId(), "e" + i * 5);
      }
      producer.flush();
    }

    List<String> accounted = new ArrayList<>();
    Map<String, String> duplicateOf = new HashMap<>();
    readOutputs(sent.size(), Duration.ofSeconds(60), accounted, duplicateOf);

    assertThat(accounted)
        .as("every input exactly once")
        .containsExactlyInAnyOrderElementsOf(sent.keySet());
    assertThat(duplicateOf).containsAllEntriesOf(expectedDuplicateOf);
    assertThat(duplicateOf).as("only the copies are duplicates").hasSameSizeAs(expectedDuplicateOf);
  }

  /**
   * Sends events {@code from..to} in the background at about 100 per second, so kills land while
   * input is arriving; every 10th is a copy of an event sent 50 to 100 positions earlier (before
   * the previous kill, for the first ones of a trickle).
   */
  private static CompletableFuture<Void> trickle(
      KafkaProducer<String, byte[]> producer,
      Map<String, RawEvent> sent,
      Map<String, String> expected,
      int from,
      int to) {
    return CompletableFuture.runAsync(
        () -> {
          for (int i = from; i < to; i++) {
            if (i % 10 == 5) {
              String originalId = "e" + (i - 55);
              RawEvent copy = RawTraffic.copy(sent.get(originalId), "copy" + i);
              RawTraffic.send(producer, copy, sent);
              synchronized (expected) {
                expected.put(copy.getId(), originalId);
              }
            } else {
              RawTraffic.send(producer, event("e" + i, i), sent);
            }
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          producer.flush();
        });
  }

  private Process startCurator(Path stateDir, String name)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                CuratorChildMain.class.getName(),
                CuratorConfig.APPLICATION_ID_CONFIG + "=" + APPLICATION_ID,
                CuratorConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + BROKER.bootstrapServers(),
                CuratorConfig.STATE_DIR_CONFIG + "=" + stateDir,
                // A killed member never leaves the group: let the broker drop it within seconds.
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    children.add(child);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains(CuratorChildMain.RUNNING)) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "curator child " + name + " did not start:\n" + tail(log.toFile()));
      }
      Thread.sleep(100);
    }
    return child;
  }

  private static String tail(File log) throws IOException {
    String text = Files.readString(log.toPath());
    return text.substring(Math.max(0, text.length() - 4000));
  }

  private static void kill(Process child) throws InterruptedException {
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child killed").isTrue();
  }

  /** Event i: unique wording per i, rotating over three tenant/track pairs. */
  private static RawEvent event(String id, int i) {
    return Events.question(id, i, "");
  }

  private static void waitForOutputs(int count, Duration timeout) {
    readOutputs(count, timeout, new ArrayList<>(), new HashMap<>());
  }

  /**
   * Reads both outputs from the start with read_committed until {@code count} records or the
   * deadline, then a little longer so a double beyond the count would show; collects the source ids
   * and, for duplicates, what they duplicate.
   */
  private static void readOutputs(
      int count, Duration timeout, List<String> sourceIds, Map<String, String> duplicateOf) {
    AvroSerde<io.sluice.schemas.avro.CuratedExample> curatedSerde =
        AvroSerde.of(io.sluice.schemas.avro.CuratedExample.class);
    AvroSerde<RejectedEvent> rejectedSerde = AvroSerde.of(RejectedEvent.class);
    try (KafkaConsumer<String, byte[]> consumer = BROKER.committedReader("kill-reader")) {
      consumer.subscribe(List.of(Topics.EXAMPLES_CURATED.name(), Topics.EVENTS_REJECTED.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      long settle = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settle)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(Topics.EXAMPLES_CURATED.name())) {
            sourceIds.add(curatedSerde.deserialize(record.topic(), record.value()).getSourceId());
          } else {
            RejectedEvent rejected = rejectedSerde.deserialize(record.topic(), record.value());
            sourceIds.add(rejected.getSourceId());
            if (rejected.getDuplicateOf() != null) {
              duplicateOf.put(rejected.getSourceId(), rejected.getDuplicateOf());
            }
          }
        }
        if (sourceIds.size() >= count && settle == Long.MAX_VALUE) {
          settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
  }
}
