package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Objective;
import io.sluice.schemas.avro.Split;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer service with all the feedback: a window's repeated example is left out (and says
 * which one it repeats), up/down votes are trained with KTO, and another tenant's window holding
 * the same text loses nothing.
 */
class TrainerFeedbackTest {
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

  @Test
  void aRepeatIsLeftOutVotesTrainWithKtoAndTenantsAreNeverCompared() throws Exception {
    String prompt = "How do I reset my router?";
    String answer = "Hold the reset button for ten seconds, then wait for the lights.";
    List<CuratedExample> records =
        List.of(
            Curated.sft("acme", "votes", "a0", prompt, answer, Split.TRAIN),
            Curated.sft("acme", "votes", "a1", prompt, answer, Split.TRAIN),
            Curated.vote(
                "acme",
                "votes",
                "a2",
                "Is there an outage near me?",
                "Yes: see status.acme.example.",
                true),
            Curated.vote(
                "acme", "votes", "a3", "Is there an outage near me?", "I don't know.", false),
            Curated.sft("globex", "votes", "g0", prompt, answer, Split.TRAIN),
            Curated.sft(
                "globex",
                "votes",
                "g1",
                "Where is my invoice?",
                "Under Billing, then Invoices.",
                Split.TRAIN),
            Curated.sft(
                "globex",
                "votes",
                "g2",
                "Can I pay by card?",
                "Yes, every major card.",
                Split.TRAIN),
            Curated.sft(
                "globex",
                "votes",
                "g3",
                "What are your hours?",
                "Nine to five, Monday to Friday.",
                Split.TRAIN));
    Curated.send(broker.bootstrapServers(), records);
    Path store = dir.resolve("store");
    Map<String, String> settings =
        new java.util.HashMap<>(
            Map.of(
                TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                TrainerConfig.ADAPTER_STORE_CONFIG, store.toString(),
                TrainerConfig.INSTANCE_ID_CONFIG, "test",
                TrainerConfig.WINDOW_MIN_EXAMPLES_CONFIG, "4",
                TrainerConfig.MIN_INTERVAL_CONFIG, "0",
                TrainerConfig.EPOCHS_CONFIG, "1",
                TrainerConfig.LORA_R_CONFIG, "2",
                TrainerConfig.METRICS_PORT_CONFIG, "0"));
    TrainerConfig config = TrainerConfig.load(Optional.empty(), Map.of(), settings);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TrainerService trainer = TrainerService.start(config, meters, null)) {
      List<AdapterCandidate> candidates =
          Candidates.await(broker.bootstrapServers(), c -> c.size() >= 2, Duration.ofMinutes(4));
      assertThat(trainer.failure()).isEmpty();
      AdapterCandidate acme =
          candidates.stream().filter(c -> c.getTenant().equals("acme")).findFirst().orElseThrow();
      AdapterCandidate globex =
          candidates.stream().filter(c -> c.getTenant().equals("globex")).findFirst().orElseThrow();

      assertThat(acme.getExampleCount()).isEqualTo(4);
      assertThat(acme.getSemanticDuplicates()).isEqualTo(1);
      // rehearsal brings SFT items, the votes bring KTO
      assertThat(acme.getObjective()).isEqualTo(Objective.SFT_KTO);
      assertThat(acme.getMetrics()).containsEntry("kto_examples", 2.0);
      JsonNode lineage =
          new ObjectMapper()
              .readTree(Path.of(acme.getAdapterUri()).resolve("lineage.json").toFile());
      JsonNode semantic = lineage.path("semantic_dedup");
      assertThat(semantic.path("threshold").asDouble()).isEqualTo(0.9);
      assertThat(semantic.path("count").asInt()).isEqualTo(1);
      assertThat(semantic.path("duplicates").get(0).path("id").asText()).isEqualTo("a1");
      assertThat(semantic.path("duplicates").get(0).path("duplicate_of").asText()).isEqualTo("a0");
      assertThat(semantic.path("duplicates").get(0).path("cosine").asDouble()).isGreaterThan(0.99);
      assertThat(lineage.path("sources")).hasSize(4);
      assertThat(lineage.path("hyperparameters").path("kto_beta").asText()).isEqualTo("0.1");

      assertThat(globex.getSemanticDuplicates()).isZero();
      assertThat(globex.getObjective()).isEqualTo(Objective.SFT);
      Path index = store.resolve("acme").resolve("votes").resolve(SemanticIndex.FILE);
      // written right after the candidate's commit, which the test may see first
      long deadline = System.currentTimeMillis() + 30_000;
      while (!java.nio.file.Files.exists(index) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      assertThat(index).exists();
      assertThat(
              SemanticIndex.open(
                      store.resolve("acme").resolve("votes"), 2000, acme.getBaseModelSha256())
                  .entries())
          .extracting(SemanticIndex.Entry::id)
          .containsExactly("a0", "a2", "a3");
      assertThat(
              meters
                  .get("sluice_trainer_semantic_duplicates")
                  .tag("tenant", "acme")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }
}
