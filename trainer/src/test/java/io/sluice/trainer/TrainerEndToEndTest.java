package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on a real in-process broker with the bundled base model. */
class TrainerEndToEndTest {
  @TempDir static Path dir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static Map<String, String> fastSettings(Path store, String group) {
    Map<String, String> s = new HashMap<>();
    s.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    s.put(TrainerConfig.ADAPTER_STORE_CONFIG, store.toString());
    s.put(TrainerConfig.GROUP_ID_CONFIG, group);
    s.put(TrainerConfig.INSTANCE_ID_CONFIG, "test");
    s.put(TrainerConfig.WINDOW_MIN_EXAMPLES_CONFIG, "4");
    s.put(TrainerConfig.WINDOW_MIN_EXAMPLES_ON_TIMEOUT_CONFIG, "2");
    s.put(TrainerConfig.WINDOW_MAX_WAIT_CONFIG, "1h");
    s.put(TrainerConfig.MIN_INTERVAL_CONFIG, "0");
    s.put(TrainerConfig.EPOCHS_CONFIG, "1");
    s.put(TrainerConfig.BATCH_SIZE_CONFIG, "4");
    s.put(TrainerConfig.LORA_R_CONFIG, "2");
    s.put(TrainerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
    s.put(TrainerConfig.METRICS_PORT_CONFIG, "0");
    return s;
  }

  @Test
  void twoTenantsThreeTracksInterleavedGiveOneCandidatePerFullWindow() throws Exception {
    List<CuratedExample> records = new ArrayList<>();
    // acme/support: 8 train (two windows) + 2 holdout; acme/billing: 4 (one window) + 1 spare;
    // globex/support: 4 (one window), interleaved on the partitions they share.
    for (int i = 0; i < 8; i++) {
      records.add(
          Curated.sft(
              "acme",
              "support",
              "as" + i,
              "Reset router " + i + "?",
              "Hold reset for 10 s.",
              Split.TRAIN));
      if (i < 5) {
        records.add(
            Curated.sft(
                "acme",
                "billing",
                "ab" + i,
                "Invoice " + i + "?",
                "See the billing page.",
                Split.TRAIN));
      }
      if (i < 4) {
        records.add(
            Curated.pair(
                "globex", "support", "gs" + i, "Refund " + i + "?", "Yes, within 30 days.", "No."));
      }
      if (i < 2) {
        records.add(
            Curated.sft(
                "acme", "support", "ah" + i, "Holdout " + i + "?", "Held out.", Split.HOLDOUT));
      }
    }
    Curated.send(broker.bootstrapServers(), records);
    Path store = dir.resolve("store-e2e");
    Map<String, String> settings = fastSettings(store, "trainer-e2e");
    settings.put(TrainerConfig.REPLAY_FRACTION_CONFIG, "0.3");
    settings.put(TrainerConfig.REHEARSAL_FRACTION_CONFIG, "0.2");
    TrainerConfig config = TrainerConfig.load(Optional.empty(), Map.of(), settings);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TrainerService trainer = TrainerService.start(config, meters, null)) {
      // The broker is shared by this class's tests: count this test's tenants only.
      java.util.function.Predicate<AdapterCandidate> ours =
          c -> Set.of("acme", "globex").contains(c.getTenant());
      List<AdapterCandidate> candidates =
          Candidates.await(
                  broker.bootstrapServers(),
                  c -> c.stream().filter(ours).count() >= 4,
                  Duration.ofMinutes(4))
              .stream()
              .filter(ours)
              .toList();
      assertThat(trainer.failure()).isEmpty();
      assertThat(candidates).hasSize(4);
      Map<String, Integer> perTrack = new HashMap<>();
      candidates.forEach(c -> perTrack.merge(c.getTenant() + "/" + c.getTrack(), 1, Integer::sum));
      assertThat(perTrack)
          .containsEntry("acme/support", 2)
          .containsEntry("acme/billing", 1)
          .containsEntry("globex/support", 1);
      Set<String> trainedIds = new HashSet<>();
      ObjectMapper json = new ObjectMapper();
      for (AdapterCandidate c : candidates) {
        JsonNode lineage =
            json.readTree(Path.of(c.getAdapterUri()).resolve("lineage.json").toFile());
        assertThat(lineage.path("tenant").asText()).isEqualTo(c.getTenant());
        assertThat(lineage.path("base_model").path("name").asText()).isEqualTo("sluice-tiny");
        assertThat(lineage.path("base_model").path("sha256").asText())
            .hasSize(64)
            .isEqualTo(c.getBaseModelSha256());
        JsonNode config0 =
            json.readTree(Path.of(c.getAdapterUri()).resolve("adapter_config.json").toFile());
        assertThat(config0.path("base_model_name_or_path").asText()).isEqualTo("sluice-tiny");
        assertThat(Path.of(c.getAdapterUri()).resolve("training_report.json")).exists();
        assertThat(c.getExampleCount()).isEqualTo(4);
        String prefix =
            c.getTenant().equals("acme") ? (c.getTrack().equals("support") ? "as" : "ab") : "gs";
        for (JsonNode source : lineage.path("sources")) {
          String id = source.path("id").asText();
          // tenants and tracks never mix, holdout never trains, and no example is in two windows
          assertThat(id).startsWith(prefix);
          assertThat(trainedIds.add(id)).as("example %s in two windows", id).isTrue();
          long offset = source.path("offset").asLong();
          assertThat(c.getSources())
              .anySatisfy(
                  r -> {
                    assertThat(r.getPartition()).isEqualTo(source.path("partition").asInt());
                    assertThat(offset).isBetween(r.getFromOffset(), r.getUntilOffset() - 1);
                  });
        }
        for (JsonNode replayId : lineage.path("replay_ids")) {
          assertThat(replayId.asText()).startsWith(prefix);
        }
        // rehearsal: 0.2 of the training set; the window is 0.5 of it when the reservoir can fill
        // 0.3
        assertThat(c.getRehearsalCount()).isEqualTo(2);
        assertThat(lineage.path("rehearsal").path("count").asInt()).isEqualTo(2);
      }
      // the second acme/support window replays from the first one's examples
      AdapterCandidate second =
          candidates.stream()
              .filter(c -> c.getTrack().equals("support") && c.getTenant().equals("acme"))
              .max(java.util.Comparator.comparing(c -> c.getSources().get(0).getFromOffset()))
              .orElseThrow();
      assertThat(second.getReplayCount()).isEqualTo(2);
      assertThat(trainedIds).hasSize(16);
      assertThat(
              meters
                  .get("sluice_trainer_windows_trained")
                  .tags("tenant", "acme", "track", "support")
                  .counter()
                  .count())
          .isEqualTo(2);
      assertThat(
              meters
                  .get("sluice_trainer_examples")
                  .tags("tenant", "globex", "track", "support")
                  .counter()
                  .count())
          .isEqualTo(4);
      assertThat(
              meters
                  .get("sluice_trainer_run_duration")
                  .tags("tenant", "acme", "track", "billing")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(
              candidates.stream()
                  .filter(c -> c.getTrack().equals("support") && c.getTenant().equals("globex")))
          .allSatisfy(c -> assertThat(c.getObjective().name()).isIn("SFT_DPO", "DPO"));
    }
  }

  @Test
  void aWindowThatCannotTrainIsRetriedThenRejectedWhileOtherTracksGoOn() throws Exception {
    List<CuratedExample> records = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      records.add(
          Curated.sft(
              "initech",
              "poison",
              "p" + i,
              "Question " + i + "?",
              "Answer " + i + ".",
              Split.TRAIN));
      records.add(
          Curated.sft(
              "initech",
              "healthy",
              "h" + i,
              "Question " + i + "?",
              "Answer " + i + ".",
              Split.TRAIN));
    }
    Curated.send(broker.bootstrapServers(), records);
    Map<String, String> settings = fastSettings(dir.resolve("store-poison"), "trainer-poison");
    // The poison track continues from its champion, whose adapter files are corrupt on disk: every
    // run fails for real while loading it.
    Path corrupt = Files.createDirectories(dir.resolve("corrupt-champion"));
    Files.writeString(
        corrupt.resolve("adapter_config.json"),
        "{\"peft_type\": \"LORA\", \"r\": 2, \"target_modules\": [\"q_proj\"]}");
    Files.write(corrupt.resolve("adapter_model.safetensors"), new byte[] {1, 2, 3});
    Registry.promote(broker.bootstrapServers(), "initech", "poison", "ad-broken", corrupt);
    settings.put("trainer.tracks.\"initech/poison\".init", "champion");
    settings.put(TrainerConfig.MAX_ATTEMPTS_CONFIG, "2");
    TrainerConfig config = TrainerConfig.load(Optional.empty(), Map.of(), settings);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TrainerService trainer = TrainerService.start(config, meters, null)) {
      List<RejectedEvent> rejected =
          Candidates.awaitTopic(
              broker.bootstrapServers(),
              Topics.EVENTS_REJECTED.name(),
              (t, b) -> Topics.EVENTS_REJECTED.valueSerde().deserializer().deserialize(t, b),
              r -> r.stream().filter(e -> "TRAINING_FAILED".equals(e.getReason())).count() >= 4,
              Duration.ofMinutes(3));
      assertThat(rejected)
          .filteredOn(e -> "TRAINING_FAILED".equals(e.getReason()))
          .hasSize(4)
          .allSatisfy(
              e -> {
                assertThat(e.getTrack()).isEqualTo("poison");
                assertThat(e.getLineage().getTopic()).isEqualTo(Topics.EXAMPLES_CURATED.name());
              });
      List<AdapterCandidate> candidates =
          Candidates.await(
              broker.bootstrapServers(),
              c -> c.stream().anyMatch(x -> x.getTrack().equals("healthy")),
              Duration.ofMinutes(2));
      assertThat(candidates)
          .filteredOn(c -> c.getTenant().equals("initech"))
          .extracting(AdapterCandidate::getTrack)
          .containsExactly("healthy");
      assertThat(trainer.failure()).isEmpty();
      assertThat(
              meters
                  .get("sluice_trainer_windows_failed")
                  .tags("tenant", "initech", "track", "poison", "reason", "CORRUPT_MODEL")
                  .counter()
                  .count())
          .isEqualTo(2);
      assertThat(
              meters
                  .get("sluice_trainer_examples_rejected")
                  .tags("tenant", "initech", "track", "poison")
                  .counter()
                  .count())
          .isEqualTo(4);
    }
  }

  @Test
  void twoInstancesShareTheTracksAndARebalanceMidStreamLosesAndDoublesNothing() throws Exception {
    Path store = dir.resolve("store-scale");
    List<CuratedExample> firstHalf = new ArrayList<>();
    List<CuratedExample> secondHalf = new ArrayList<>();
    int tracks = 6;
    for (int t = 0; t < tracks; t++) {
      for (int i = 0; i < 8; i++) {
        CuratedExample r =
            Curated.sft(
                "umbrella",
                "lane" + t,
                "u" + t + "-" + i,
                "Lane " + t + " question " + i + "?",
                "Lane answer " + i + ".",
                Split.TRAIN);
        (i < 4 ? firstHalf : secondHalf).add(r);
      }
    }
    Curated.send(broker.bootstrapServers(), firstHalf);
    Map<String, String> a = fastSettings(store, "trainer-scale");
    a.put(TrainerConfig.INSTANCE_ID_CONFIG, "a");
    a.put("kafka.session.timeout.ms", "6000");
    a.put("kafka.heartbeat.interval.ms", "1000");
    Map<String, String> b = new HashMap<>(a);
    b.put(TrainerConfig.INSTANCE_ID_CONFIG, "b");
    try (TrainerService first =
        TrainerService.start(
            TrainerConfig.load(Optional.empty(), Map.of(), a), new SimpleMeterRegistry(), null)) {
      Candidates.await(
          broker.bootstrapServers(),
          c -> c.stream().anyMatch(x -> x.getTenant().equals("umbrella")),
          Duration.ofMinutes(2));
      try (TrainerService second =
          TrainerService.start(
              TrainerConfig.load(Optional.empty(), Map.of(), b), new SimpleMeterRegistry(), null)) {
        Curated.send(broker.bootstrapServers(), secondHalf);
        List<AdapterCandidate> candidates =
            Candidates.await(
                broker.bootstrapServers(),
                c ->
                    c.stream().filter(x -> x.getTenant().equals("umbrella")).count() >= 2L * tracks,
                Duration.ofMinutes(5));
        Thread.sleep(3000);
        candidates = Candidates.await(broker.bootstrapServers(), c -> false, Duration.ofSeconds(3));
        List<AdapterCandidate> ours =
            candidates.stream().filter(x -> x.getTenant().equals("umbrella")).toList();
        assertThat(ours).hasSize(2 * tracks);
        Map<String, Integer> seen = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (AdapterCandidate c : ours) {
          JsonNode lineage =
              json.readTree(Path.of(c.getAdapterUri()).resolve("lineage.json").toFile());
          lineage
              .path("sources")
              .forEach(
                  src -> {
                    assertThat(src.path("id").asText())
                        .startsWith("u" + c.getTrack().substring(4) + "-");
                    seen.merge(src.path("id").asText(), 1, Integer::sum);
                  });
        }
        assertThat(seen)
            .hasSize(8 * tracks)
            .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(first.failure()).isEmpty();
        assertThat(second.failure()).isEmpty();
      }
    }
  }
}
