package io.sluice.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.SluiceCli;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice send} and {@code sluice ingest} through the CLI, against a running ingest. */
class SendCommandTest {

  @TempDir static Path dataDir;

  private static EmbeddedBroker broker;
  private static IngestServer ingest;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(dataDir.resolve("broker"), 0);
    ingest =
        IngestServer.start(
            IngestConfig.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                    IngestConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    IngestConfig.HOST_CONFIG, "127.0.0.1",
                    IngestConfig.PORT_CONFIG, "0")));
  }

  @AfterAll
  static void stop() {
    if (ingest != null) {
      ingest.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        SluiceCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run send(Path file, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("send", file.toString(), "--url", "http://127.0.0.1:" + ingest.port()));
    args.addAll(List.of(extra));
    return sluice(args.toArray(String[]::new));
  }

  @Test
  void shouldSendFileInBatchesAndPrintSummary() throws Exception {
    Path file = dataDir.resolve("good.jsonl");
    Files.write(
        file,
        List.of(event("g-1", "send-good"), event("g-2", "send-good"), event("g-3", "send-good")));

    Run run = send(file, "--batch-lines", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("sent 3 events in 2 batches to http://127.0.0.1:" + ingest.port());
    assertThat(idsOnTrack("send-good", 3)).containsExactly("g-1", "g-2", "g-3");
  }

  @Test
  void shouldStopAtBadLineWithServerFindingsAndWriteNothing() throws Exception {
    Path file = dataDir.resolve("bad.jsonl");
    Files.write(
        file,
        List.of(
            event("b-1", "send-bad"),
            event("b-2", "send-bad").replace("\"tenant\":\"acme\"", "\"tenant\":\"ACME\""),
            event("b-3", "send-bad")));

    Run run = send(file);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("sent 0 events in 0 batches");
    assertThat(run.err())
        .contains("batch of lines 1-3 refused with 422")
        .contains("line 2 /tenant: ")
        .contains("nothing from line 1 on was written");
    // A later event on the same track is visible, so the refused lines would have been too.
    Path sentinel = dataDir.resolve("sentinel.jsonl");
    Files.write(sentinel, List.of(event("sentinel", "send-bad")));
    assertThat(send(sentinel).exitCode()).isZero();
    assertThat(idsOnTrack("send-bad", 1)).containsExactly("sentinel");
  }

  @Test
  void shouldSendAnOpenAiFileToTheImport() throws Exception {
    Path file = Path.of("..", "examples", "openai", "function-calling.jsonl");

    Run run = send(file, "--format", "openai", "--tenant", "acme", "--track", "send-openai");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("sent 2 events in 1 batches");
    assertThat(idsOnTrack("send-openai", 2)).hasSize(2);
  }

  @Test
  void shouldRefuseOpenAiFormatWithoutTenantAndTrack() {
    Run run = send(Path.of("..", "examples", "openai", "chat.jsonl"), "--format", "openai");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--format openai needs --tenant and --track");
  }

  @Test
  void shouldListIngestOptionsInHelp() {
    Run run = sluice("ingest", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--bootstrap-servers", "--port", "--config", "--set");
  }

  @Test
  void shouldListSendOptionsInHelp() {
    Run run = sluice("send", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("FILE", "--url", "--api-key", "--batch-lines", "--batch-bytes");
  }

  private static String event(String id, String track) {
    return "{\"type\":\"example\",\"id\":\""
        + id
        + "\",\"tenant\":\"acme\",\"track\":\""
        + track
        + "\",\"prompt\":\"Say hi\",\"completion\":\"Hi!\"}";
  }

  /** Ids of committed events of a track, in order, read as the curator reads them. */
  private static List<String> idsOnTrack(String track, int atLeast) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, RawEvent> consumer =
        new KafkaConsumer<>(
            properties, new StringDeserializer(), Topics.EVENTS_RAW.valueSerde().deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < Topics.EVENTS_RAW.partitions(); p++) {
        partitions.add(new TopicPartition(Topics.EVENTS_RAW.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      boolean caughtUp = false;
      while (System.nanoTime() < deadline && !(caughtUp && ids.size() >= atLeast)) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                record -> {
                  if (record.value().getTrack().equals(track)) {
                    ids.add(record.value().getId());
                  }
                });
        caughtUp = partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
    return ids;
  }
}
