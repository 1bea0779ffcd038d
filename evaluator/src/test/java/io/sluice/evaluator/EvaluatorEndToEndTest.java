package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.model.train.TrainingExample;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.Action;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import io.sluice.schemas.avro.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator on a real in-process broker: curated holdouts and candidates in; reports, decisions
 * and registry entries out; a restart that decides nothing twice and keeps its holdouts; tenant
 * isolation; an operator's promotion and rollbacks.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EvaluatorEndToEndTest {
  @TempDir static Path brokerDir;
  @TempDir Path store;
  @TempDir Path state;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedBroker.start(brokerDir, 0);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, Object> client() {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
  }

  private static <V> void produce(io.sluice.schemas.Topic<String, V> topic, String key, V value)
      throws Exception {
    Map<String, Object> props = new HashMap<>(client());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(props, new StringSerializer(), topic.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
  }

  private static CuratedExample curated(String tenant, TrainingExample example, int offset) {
    TrainingExample.Sft sft = (TrainingExample.Sft) example;
    return CuratedExample.newBuilder()
        .setId(sft.id())
        .setSourceId(sft.id())
        .setTenant(tenant)
        .setTrack("support")
        .setKind(ExampleKind.SFT)
        .setOrigin(Origin.EXAMPLE)
        .setPrompt(sft.messages().get(0).content())
        .setCompletion(sft.completion())
        .setSplit(sft.holdout() ? Split.HOLDOUT : Split.TRAIN)
        .setContentHash("h" + sft.id())
        .setLineage(new Lineage(Topics.EVENTS_RAW.name(), 0, (long) offset))
        .setEventTimestamp(Instant.now())
        .setCuratedAt(Instant.now())
        .build();
  }

  private static void sendTrack(String tenant) throws Exception {
    int offset = 0;
    for (boolean holdout : new boolean[] {false, true}) {
      for (TrainingExample e : Fixtures.support(tenant, holdout)) {
        produce(
            Topics.EXAMPLES_CURATED,
            Topics.trackKey(tenant, "support"),
            curated(tenant, e, offset++));
      }
    }
  }

  private static void sendCandidate(AdapterCandidate candidate) throws Exception {
    produce(
        Topics.ADAPTERS_CANDIDATES,
        Topics.trackKey(candidate.getTenant(), candidate.getTrack()),
        candidate);
  }

  private static List<PromotionDecision> awaitDecisions(AdapterRegistryClient registry, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    List<PromotionDecision> decisions = registry.decisions();
    while (decisions.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(500);
      decisions = registry.decisions();
    }
    return decisions;
  }

  private static List<String> codes(PromotionDecision d) {
    return d.getDetails().stream().map(GateReason::getCode).toList();
  }

  @Test
  void shouldDecideEachCandidateOnceKeepTenantsApartAndLetOperatorsOverride() throws Exception {
    sendTrack("acme");
    sendTrack("globex");
    EvaluatorConfig config =
        Fixtures.config(
            state, store, EvaluatorConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    AdapterRegistryClient registry = new AdapterRegistryClient(client());
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    Path good = Fixtures.train(store.resolve("acme/support/acme-good"), "acme", 2e-4, 2, true);
    Path corrupt = Fixtures.randomAdapter(store.resolve("acme/support/acme-corrupt"));
    Files.write(corrupt.resolve("adapter_model.safetensors"), "not safetensors".getBytes());
    Path zero = Fixtures.zeroAdapter(store.resolve("globex/support/globex-zero"));

    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (EvaluatorService service =
        EvaluatorService.start(config, meters, Fixtures.lm())
            .onDecision(
                o -> heard.add(o.decision().getCandidateId() + " " + o.decision().getAction()))) {
      sendCandidate(Fixtures.candidate("acme-good", "acme", "support", good));
      sendCandidate(Fixtures.candidate("acme-corrupt", "acme", "support", corrupt));
      sendCandidate(Fixtures.candidate("globex-zero", "globex", "support", zero));
      List<PromotionDecision> decisions = awaitDecisions(registry, 3);
      assertThat(service.isReady()).isTrue();
      for (int i = 0; i < 100 && heard.size() < 3; i++) {
        Thread.sleep(100); // listeners run just after the commit that made the decisions visible
      }
      assertThat(heard)
          .containsExactlyInAnyOrder(
              "acme-good PROMOTE", "acme-corrupt REJECT", "globex-zero REJECT");
      Map<String, PromotionDecision> byId =
          decisions.stream()
              .collect(Collectors.toMap(PromotionDecision::getCandidateId, Function.identity()));
      assertThat(byId).containsOnlyKeys("acme-good", "acme-corrupt", "globex-zero");
      assertThat(byId.get("acme-good").getAction())
          .as(byId.get("acme-good").getReasons().toString())
          .isEqualTo(Action.PROMOTE);
      assertThat(codes(byId.get("acme-corrupt"))).containsExactly("CORRUPT_ADAPTER");
      assertThat(codes(byId.get("globex-zero"))).contains("NO_EFFECT");

      Map<String, EvaluationReport> reports =
          registry.reports().stream()
              .collect(Collectors.toMap(EvaluationReport::getCandidateId, Function.identity()));
      assertThat(reports.get("acme-good").getHoldoutSize()).isEqualTo(12);
      assertThat(reports.get("acme-good").getHoldoutHash())
          .isEqualTo(HoldoutStore.hash(Fixtures.holdout("acme")));
      assertThat(reports.get("globex-zero").getHoldoutHash())
          .isEqualTo(HoldoutStore.hash(Fixtures.holdout("globex")));
      assertThat(byId.get("acme-good").getReportId())
          .isEqualTo(reports.get("acme-good").getReportId());

      Map<String, RegistryEntry> champions = registry.champions();
      assertThat(champions).containsOnlyKeys("acme/support");
      assertThat(champions.get("acme/support").getActive().getCandidateId()).isEqualTo("acme-good");
      assertThat(champions.get("acme/support").getVersion()).isEqualTo(1);

      String scrape = meters.scrape();
      assertThat(scrape)
          .contains("sluice_evaluator_decisions_total{outcome=\"PROMOTE\",reason=\"PASSED\"} 1.0")
          .contains(
              "sluice_evaluator_decisions_total{outcome=\"REJECT\",reason=\"CORRUPT_ADAPTER\"} 1.0")
          .contains(
              "sluice_evaluator_task_score{role=\"candidate\",task=\"arithmetic\",tenant=\"acme\",track=\"support\"}")
          .contains(
              "sluice_evaluator_forgetting{task=\"capitals\",tenant=\"acme\",track=\"support\"}")
          .contains("sluice_evaluator_champion_info{tenant=\"acme\",track=\"support\"} 1")
          .contains("sluice_evaluator_champion_adapter{tenant=\"acme\",track=\"support\"} 1")
          .contains("sluice_evaluator_window_to_decision_seconds_count 3");
    }

    // A restart decides nothing again, and keeps its holdouts and registry view.
    Path noisy = Fixtures.randomAdapter(store.resolve("acme/support/acme-noisy"));
    try (EvaluatorService service =
        EvaluatorService.start(
            config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Fixtures.lm())) {
      sendCandidate(Fixtures.candidate("acme-noisy", "acme", "support", noisy));
      List<PromotionDecision> decisions = awaitDecisions(registry, 4);
      Thread.sleep(2000); // room for a wrongly repeated decision to show up
      decisions = registry.decisions();
      assertThat(decisions)
          .extracting(PromotionDecision::getCandidateId)
          .containsExactlyInAnyOrder("acme-good", "acme-corrupt", "globex-zero", "acme-noisy");
      assertThat(service.decisions()).isEqualTo(1);
      EvaluationReport noisyReport =
          registry.reports().stream()
              .filter(r -> r.getCandidateId().equals("acme-noisy"))
              .findFirst()
              .orElseThrow();
      assertThat(noisyReport.getChampionId()).isEqualTo("acme-good");
      assertThat(noisyReport.getHoldoutHash())
          .isEqualTo(HoldoutStore.hash(Fixtures.holdout("acme")));
    }

    // Operators: a manual promotion of the rejected candidate, then two rollbacks back to the base.
    PromotionDecision manual = registry.promote("acme-noisy", "hotfix for ticket 42", "alice");
    assertThat(manual.getManual()).isTrue();
    assertThat(manual.getActor()).isEqualTo("alice");
    RegistryEntry v2 = registry.champions().get("acme/support");
    assertThat(v2.getVersion()).isEqualTo(2);
    assertThat(v2.getActive().getCandidateId()).isEqualTo("acme-noisy");
    assertThat(v2.getPreviousCandidateId()).isEqualTo("acme-good");
    assertThat(v2.getActor()).isEqualTo("alice");

    PromotionDecision rollback = registry.rollback("acme", "support", "answers got worse", "bob");
    assertThat(rollback.getAction()).isEqualTo(Action.ROLLBACK);
    RegistryEntry v3 = registry.champions().get("acme/support");
    assertThat(v3.getVersion()).isEqualTo(3);
    assertThat(v3.getActive().getCandidateId()).isEqualTo("acme-good");
    registry.rollback("acme", "support", "back to the base", "bob");
    RegistryEntry v4 = registry.champions().get("acme/support");
    assertThat(v4.getActive()).isNull();
    assertThat(registry.champions()).doesNotContainKey("globex/support");
  }
}
