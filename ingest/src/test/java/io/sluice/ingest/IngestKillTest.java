package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 of ingest in the middle of a batch leaves its transaction open; read_committed readers
 * (the curator) are blocked on the partitions it wrote until the broker aborts it. With the
 * transaction timeout chosen from the produce timeout ({@link EventWriter#transactionTimeoutMs})
 * they resume within that timeout plus the broker's abort-check interval, not after Kafka's 60 s.
 */
class IngestKillTest {

  /** Production default is 10 s; shorter here so that the bound below is tight. */
  private static final int ABORT_CHECK_MS = 1_000;

  @TempDir static Path brokerDir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker =
        EmbeddedBroker.start(
            brokerDir,
            0,
            Map.of(
                "transaction.abort.timed.out.transaction.cleanup.interval.ms",
                Integer.toString(ABORT_CHECK_MS)));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void shouldLetReadCommittedReadersResumeWithinTheTransactionTimeoutAfterAKillMidBatch()
      throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    settings.put(IngestConfig.PORT_CONFIG, "0");
    settings.put(IngestConfig.HOST_CONFIG, "127.0.0.1");
    settings.put(IngestConfig.PRODUCE_TIMEOUT_MS_CONFIG, "5000");
    int transactionTimeoutMs =
        EventWriter.transactionTimeoutMs(TestConfigs.ingest(broker.bootstrapServers(), settings));
    assertThat(transactionTimeoutMs).isEqualTo(10_000);

    // The kill must land inside a transaction; between two group commits it proves nothing, so
    // an attempt that left none open is repeated with a fresh instance.
    for (int attempt = 1; attempt <= 5; attempt++) {
      Optional<Duration> resumedAfter = killMidBatch(settings, transactionTimeoutMs);
      if (resumedAfter.isPresent()) {
        System.out.println(
            "read_committed readers resumed "
                + resumedAfter.get().toMillis()
                + " ms after the kill (attempt "
                + attempt
                + ")");
        return;
      }
    }
    throw new AssertionError("no kill landed inside a transaction in 5 attempts");
  }

  /**
   * Starts ingest in a child JVM, keeps 4 clients sending batches, kills it while a transaction is
   * open and returns how long read_committed readers were blocked; empty when the kill landed
   * between transactions.
   */
  private static Optional<Duration> killMidBatch(
      Map<String, String> settings, int transactionTimeoutMs) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                IngestChildMain.class.getName()));
    settings.forEach((key, value) -> command.add(key + "=" + value));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    AtomicBoolean sending = new AtomicBoolean(true);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      int port = awaitPort(child);
      AtomicInteger accepted = new AtomicInteger();
      for (int c = 0; c < 4; c++) {
        int client = c;
        clients.submit(() -> sendBatches(port, client, sending, accepted));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // Kill when a transaction is seen open: some partition's last stable offset is behind its
      // end. Seen from outside, so the kill lands a moment later, usually still inside it.
      while (accepted.get() < 1_000 || openTransactions(admin).isEmpty()) {
        assertThat(System.nanoTime())
            .as("ingest accepted batches with a transaction open")
            .isLessThan(deadline);
      }
      child.destroyForcibly();
      long killedAt = System.nanoTime();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      sending.set(false);
      if (openTransactions(admin).isEmpty()) {
        return Optional.empty();
      }
      Duration bound = Duration.ofMillis(transactionTimeoutMs + ABORT_CHECK_MS + 5_000);
      while (!openTransactions(admin).isEmpty()) {
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
            .as("read_committed readers still blocked")
            .isLessThan(bound);
        Thread.sleep(100);
      }
      Duration resumedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
      // Everything ingest confirmed with 202 is readable; nothing of the aborted batch is.
      assertThat(CommittedEvents.read(broker, accepted.get(), Duration.ofSeconds(30)))
          .hasSizeGreaterThanOrEqualTo(accepted.get());
      return Optional.of(resumedAfter);
    } finally {
      sending.set(false);
      clients.shutdownNow();
      child.destroyForcibly();
    }
  }

  /**
   * Partitions of the raw topic whose last stable offset is behind their end: a transaction is
   * open.
   */
  private static Map<TopicPartition, Long> openTransactions(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < Topics.EVENTS_RAW.partitions(); p++) {
      latest.put(new TopicPartition(Topics.EVENTS_RAW.name(), p), OffsetSpec.latest());
    }
    var committed =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get();
    var end =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
            .all()
            .get();
    Map<TopicPartition, Long> open = new HashMap<>();
    committed.forEach(
        (partition, stable) -> {
          long behind = end.get(partition).offset() - stable.offset();
          if (behind > 0) {
            open.put(partition, behind);
          }
        });
    return open;
  }

  private static int awaitPort(Process child) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(IngestChildMain.LISTENING)) {
        String port = line.substring(IngestChildMain.LISTENING.length()).strip();
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start(); // keep the child's output pipe from filling up
        return Integer.parseInt(port);
      }
    }
    throw new AssertionError("ingest child exited before listening");
  }

  /** Batches of 2,000 events (about 300 KB), back to back, counting the events of every 202. */
  private static void sendBatches(
      int port, int client, AtomicBoolean sending, AtomicInteger accepted) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    StringBuilder body = new StringBuilder();
    for (int batch = 0; sending.get(); batch++) {
      body.setLength(0);
      for (int i = 0; i < 2_000; i++) {
        body.append("{\"type\":\"example\",\"tenant\":\"acme\",\"track\":\"t")
            .append(i % 12)
            .append("\",\"id\":\"c")
            .append(client)
            .append('-')
            .append(batch)
            .append('-')
            .append(i)
            .append("\",\"prompt\":\"How do I reset device ")
            .append(i)
            .append("?\",\"completion\":\"Hold the button for ten seconds.\"}\n");
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/batch"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 202) {
          accepted.addAndGet(2_000);
        }
      } catch (Exception e) {
        return; // the server was killed
      }
    }
  }
}
