package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.Split;
import io.sluice.schemas.event.ChatMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the evaluator process in the middle of an evaluation, then a restart with its local
 * state wiped: every candidate gets exactly one decision, scored on the same holdout.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class EvaluatorKillTest {
  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldDecideEveryCandidateExactlyOnceAcrossAKillMidEvaluation() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      Map<String, Object> client =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              broker.bootstrapServers(),
              ProducerConfig.ACKS_CONFIG,
              "all");
      try (KafkaProducer<String, CuratedExample> producer =
          new KafkaProducer<>(
              client, new StringSerializer(), Topics.EXAMPLES_CURATED.valueSerde().serializer())) {
        int offset = 0;
        for (HoldoutItem item : Fixtures.holdout("acme")) {
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.EXAMPLES_CURATED.name(),
                      "acme/support",
                      CuratedExample.newBuilder()
                          .setId(item.id())
                          .setSourceId(item.id())
                          .setTenant("acme")
                          .setTrack("support")
                          .setKind(ExampleKind.SFT)
                          .setOrigin(Origin.EXAMPLE)
                          .setPrompt(
                              List.of(ChatMessages.of(Role.user, item.messages().get(0).content())))
                          .setCompletion(item.answer())
                          .setSplit(Split.HOLDOUT)
                          .setContentHash("h" + offset)
                          .setLineage(new Lineage("sluice.events.raw", 0, (long) offset++))
                          .setEventTimestamp(Instant.now())
                          .setCuratedAt(Instant.now())
                          .build()))
              .get();
        }
      }
      List<String> ids = new ArrayList<>();
      try (KafkaProducer<String, AdapterCandidate> producer =
          new KafkaProducer<>(
              client,
              new StringSerializer(),
              Topics.ADAPTERS_CANDIDATES.valueSerde().serializer())) {
        for (int i = 0; i < 4; i++) {
          String id = "acme-support-" + i;
          Path adapter = Fixtures.randomAdapter(dir.resolve("store/acme/support/" + id));
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.ADAPTERS_CANDIDATES.name(),
                      "acme/support",
                      Fixtures.candidate(id, "acme", "support", adapter)))
              .get();
          ids.add(id);
        }
      }

      Process first = start(broker, "first");
      Path firstLog = dir.resolve("first.log");
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      // Kill while the second candidate is being scored: the first may be committed, the second is
      // not.
      while (!Files.readString(firstLog).contains("evaluating acme-support-1")) {
        assertThat(System.nanoTime()).as("second evaluation started").isLessThan(deadline);
        Thread.sleep(20);
      }
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

      // Restart with the local state wiped too: holdouts come back from the curated topic.
      try (var files = Files.walk(dir.resolve("state"))) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      start(broker, "second");
      AdapterRegistryClient registry =
          new AdapterRegistryClient(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
      deadline = System.nanoTime() + Duration.ofSeconds(400).toNanos();
      while (registry.decisions().size() < ids.size() && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      Thread.sleep(3000); // room for a duplicate to show up
      Map<String, Long> perCandidate =
          registry.decisions().stream()
              .collect(
                  Collectors.groupingBy(PromotionDecision::getCandidateId, Collectors.counting()));
      assertThat(perCandidate)
          .as(Files.readString(dir.resolve("second.log")))
          .containsOnlyKeys(ids)
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
      assertThat(registry.reports())
          .hasSize(ids.size())
          .allSatisfy(
              r ->
                  assertThat(r.getHoldoutHash())
                      .isEqualTo(HoldoutStore.hash(Fixtures.holdout("acme"))));
    }
  }

  private static Path suiteFile() {
    try {
      return Path.of(
          EvaluatorKillTest.class
              .getResource("/io/sluice/evaluator/suites/tiny-general.jsonl")
              .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Process start(EmbeddedBroker broker, String name)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                EvaluatorChildMain.class.getName(),
                EvaluatorConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + broker.bootstrapServers(),
                EvaluatorConfig.STATE_DIR_CONFIG + "=" + dir.resolve("state"),
                EvaluatorConfig.ADAPTER_STORE_CONFIG + "=" + dir.resolve("store"),
                EvaluatorConfig.METRICS_PORT_CONFIG + "=0",
                // The small shipped suite keeps each evaluation short: this test is about
                // transactions.
                EvaluatorConfig.SUITE_FILE_CONFIG + "=" + suiteFile(),
                // A killed member never leaves the group: let the broker drop it within seconds.
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    children.add(child);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains(EvaluatorChildMain.RUNNING)) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        String text = Files.readString(log);
        throw new IllegalStateException(
            "evaluator child "
                + name
                + " did not start:\n"
                + text.substring(Math.max(0, text.length() - 4000)));
      }
      Thread.sleep(100);
    }
    return child;
  }
}
