package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a trainer process at its worst moments (halted right after an adapter is written, halted
 * between sending the offsets and committing, SIGKILL mid-training) and restarts it on the same
 * group: each window ends up in exactly one candidate, and every train example in exactly one
 * window's lineage.
 */
class TrainerKillTest {
  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stopChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void killedAtAnyPointEachWindowBecomesExactlyOneCandidate() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      List<CuratedExample> records = new ArrayList<>();
      // Two tracks interleaved (they may share a partition), with different window sizes.
      for (int i = 0; i < 12; i++) {
        records.add(
            Curated.sft(
                "acme", "support", "s" + i, "Reset router " + i + "?", "Hold reset.", Split.TRAIN));
        if (i < 9) {
          records.add(
              Curated.sft(
                  "acme", "billing", "b" + i, "Invoice " + i + "?", "See billing.", Split.TRAIN));
        }
      }
      Curated.send(broker.bootstrapServers(), records);
      Path store = dir.resolve("store");

      Process first = start(broker, store, "adapter-written", "halt-1");
      assertThat(first.waitFor(3, TimeUnit.MINUTES)).as("halted after writing an adapter").isTrue();
      assertThat(first.exitValue()).as(tail(dir.resolve("halt-1.log"))).isEqualTo(137);

      Process second = start(broker, store, "before-commit", "halt-2");
      assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("halted before committing").isTrue();
      assertThat(second.exitValue()).as(tail(dir.resolve("halt-2.log"))).isEqualTo(137);

      Process third = start(broker, store, "", "kill-3");
      awaitLog(dir.resolve("kill-3.log"), "training ad-", Duration.ofMinutes(2));
      third.destroyForcibly();
      assertThat(third.waitFor(30, TimeUnit.SECONDS)).isTrue();

      start(broker, store, "", "final");
      // support: 12 examples in windows of 4; billing: 9 examples in windows of 3.
      List<AdapterCandidate> candidates =
          Candidates.await(broker.bootstrapServers(), c -> c.size() >= 6, Duration.ofMinutes(5));
      Thread.sleep(3000); // a doubled candidate would arrive now
      candidates = Candidates.await(broker.bootstrapServers(), c -> false, Duration.ofSeconds(3));
      assertThat(candidates).hasSize(6);
      assertThat(candidates.stream().map(AdapterCandidate::getCandidateId).distinct()).hasSize(6);
      Map<String, Integer> examplesSeen = new HashMap<>();
      ObjectMapper json = new ObjectMapper();
      for (AdapterCandidate c : candidates) {
        JsonNode lineage =
            json.readTree(Path.of(c.getAdapterUri()).resolve(AdapterStore.LINEAGE_FILE).toFile());
        assertThat(lineage.path("adapter_id").asText()).isEqualTo(c.getCandidateId());
        lineage
            .path("sources")
            .forEach(s -> examplesSeen.merge(s.path("id").asText(), 1, Integer::sum));
      }
      assertThat(examplesSeen)
          .hasSize(21)
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    }
  }

  private Process start(EmbeddedBroker broker, Path store, String haltAt, String name)
      throws Exception {
    Path log = dir.resolve(name + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-D" + TrainerService.HALT_AT_PROPERTY + "=" + haltAt,
                "-cp",
                System.getProperty("java.class.path"),
                TrainerChildMain.class.getName(),
                TrainerConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + broker.bootstrapServers(),
                TrainerConfig.ADAPTER_STORE_CONFIG + "=" + store,
                TrainerConfig.GROUP_ID_CONFIG + "=trainer-kill",
                TrainerConfig.INSTANCE_ID_CONFIG + "=one",
                TrainerConfig.WINDOW_MIN_EXAMPLES_CONFIG + "=4",
                "trainer.tracks.\"acme/billing\".window.min.examples=3",
                TrainerConfig.MIN_INTERVAL_CONFIG + "=0",
                TrainerConfig.EPOCHS_CONFIG + "=1",
                TrainerConfig.LORA_R_CONFIG + "=2",
                // A killed member never leaves the group: let the broker drop it within seconds.
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000"));
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    children.add(child);
    return child;
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log);
    return text.substring(Math.max(0, text.length() - 3000));
  }

  private static void awaitLog(Path log, String text, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no '" + text + "' in " + log);
      }
      Thread.sleep(20);
    }
  }
}
