package io.sluice.ui;

import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.Action;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.Objective;
import io.sluice.schemas.avro.OffsetRange;
import io.sluice.schemas.avro.PairedInterval;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The records an evaluator would have written for a small registry, built with the schemas' classes
 * and written the way the evaluator writes them: in transactions, read_committed.
 *
 * <ul>
 *   <li>acme/support-bot: an unreadable decision record, then {@value #SUPPORT} promoted (PASSED),
 *       the champion (registry v1)
 *   <li>acme/sales-bot: {@value #SALES} rejected for FORGETTING capitals; {@value #SALES_NEXT}
 *       waiting
 *   <li>globex/support-bot: {@value #GLOBEX} promoted; a REJECT of it in an aborted transaction
 *   <li>initech/helpdesk: {@value #INITECH} promoted, {@value #INITECH_MANUAL} promoted by an
 *       operator, then rolled back: {@value #INITECH} serves again (registry v3)
 * </ul>
 */
final class RegistryRecords {

  static final String SUPPORT = "ad-support-1";
  static final String SALES = "ad-sales-1";
  static final String SALES_NEXT = "ad-sales-2";
  static final String GLOBEX = "ad-globex-1";
  static final String INITECH = "ad-initech-1";
  static final String INITECH_MANUAL = "ad-initech-2";
  static final List<String> SKILLS = List.of("arithmetic", "capitals", "pattern");
  static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

  private RegistryRecords() {}

  /**
   * Writes every record; adapters' directories (with training_report.json) go under {@code store}.
   */
  static void write(String bootstrapServers, Path store) throws IOException {
    try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers)) {
      producer.initTransactions();
      inTransaction(
          producer,
          true,
          p -> {
            send(
                p, Topics.ADAPTERS_CANDIDATES, candidate("acme", "support-bot", SUPPORT, store, 0));
            send(p, Topics.ADAPTERS_EVALUATIONS, report("acme", "support-bot", SUPPORT, 1.0, 1));
            // A record of a schema no reader knows: skipped, never hiding the others.
            p.send(
                new ProducerRecord<>(
                    Topics.ADAPTERS_DECISIONS.name(),
                    "acme/support-bot",
                    "not a decision".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            send(p, Topics.ADAPTERS_DECISIONS, promote("acme", "support-bot", SUPPORT, 2));
            send(p, Topics.ADAPTERS_REGISTRY, entry("acme", "support-bot", SUPPORT, 2));
          });
      inTransaction(
          producer,
          true,
          p -> {
            send(p, Topics.ADAPTERS_CANDIDATES, candidate("acme", "sales-bot", SALES, store, 3));
            send(p, Topics.ADAPTERS_EVALUATIONS, report("acme", "sales-bot", SALES, 0.4, 4));
            send(p, Topics.ADAPTERS_DECISIONS, forgetting("acme", "sales-bot", SALES, 5));
            send(
                p,
                Topics.ADAPTERS_CANDIDATES,
                candidate("acme", "sales-bot", SALES_NEXT, store, 6));
          });
      inTransaction(
          producer,
          true,
          p -> {
            send(
                p,
                Topics.ADAPTERS_CANDIDATES,
                candidate("globex", "support-bot", GLOBEX, store, 7));
            send(p, Topics.ADAPTERS_EVALUATIONS, report("globex", "support-bot", GLOBEX, 1.0, 8));
            send(p, Topics.ADAPTERS_DECISIONS, promote("globex", "support-bot", GLOBEX, 9));
            send(p, Topics.ADAPTERS_REGISTRY, entry("globex", "support-bot", GLOBEX, 9));
          });
      inTransaction(producer, true, RegistryRecords::operatorActions);
      // What a crashed evaluator attempt left: never visible to read_committed readers.
      inTransaction(
          producer,
          false,
          p -> send(p, Topics.ADAPTERS_DECISIONS, forgetting("globex", "support-bot", GLOBEX, 10)));
    }
  }

  /**
   * A gate promotion, an operator's manual promote and its rollback, as `sluice adapters` writes.
   */
  private static void operatorActions(KafkaProducer<String, byte[]> p) {
    send(p, Topics.ADAPTERS_DECISIONS, promote("initech", "helpdesk", INITECH, 11));
    PromotionDecision manual =
        operator(
            INITECH_MANUAL,
            12,
            Action.PROMOTE,
            "MANUAL_PROMOTE",
            "promoted by alice: customer escalation",
            "alice",
            2);
    PromotionDecision rollback =
        operator(
            INITECH_MANUAL,
            13,
            Action.ROLLBACK,
            "ROLLBACK",
            "rolled back by bob: wrong tone",
            "bob",
            3);
    send(p, Topics.ADAPTERS_DECISIONS, manual);
    send(p, Topics.ADAPTERS_DECISIONS, rollback);
    RegistryEntry restored = entry("initech", "helpdesk", INITECH, 13);
    restored.setVersion(3);
    restored.setActor("bob");
    restored.setPreviousCandidateId(INITECH_MANUAL);
    restored.setDecisionId(rollback.getDecisionId());
    send(p, Topics.ADAPTERS_REGISTRY, restored);
  }

  private static PromotionDecision operator(
      String id,
      int minute,
      Action action,
      String code,
      String message,
      String actor,
      int version) {
    PromotionDecision d =
        decision(
            "initech",
            "helpdesk",
            id,
            minute,
            action,
            GateReason.newBuilder().setCode(code).setMessage(message).build());
    d.setActor(actor);
    d.setManual(true);
    d.setReportId(null);
    d.setRegistryVersion(version);
    return d;
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ui-test-records",
            ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void inTransaction(
      KafkaProducer<String, byte[]> producer,
      boolean commit,
      Consumer<KafkaProducer<String, byte[]>> sends) {
    producer.beginTransaction();
    sends.accept(producer);
    producer.flush();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  private static <V> void send(
      KafkaProducer<String, byte[]> producer, Topic<String, V> topic, V value) {
    String key = Topics.trackKey(field(value, "tenant"), field(value, "track"));
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    producer.send(new ProducerRecord<>(topic.name(), key, bytes));
  }

  private static String field(Object record, String name) {
    org.apache.avro.generic.GenericRecord generic = (org.apache.avro.generic.GenericRecord) record;
    return generic.get(name).toString();
  }

  static AdapterCandidate candidate(
      String tenant, String track, String id, Path store, int minute) {
    Path dir = store.resolve(tenant).resolve(track).resolve(id);
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("training_report.json"),
          "{\"objective\":\"SFT\",\"loss_curve\":[2.5,2.0,1.6,1.3,1.1],\"final_loss\":1.1}");
      Files.writeString(dir.resolve("lineage.json"), "{\"adapter_id\":\"" + id + "\"}");
      Files.writeString(dir.resolve("adapter_config.json"), "{\"peft_type\":\"LORA\",\"r\":8}");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return AdapterCandidate.newBuilder()
        .setCandidateId(id)
        .setTenant(tenant)
        .setTrack(track)
        .setBaseModel("sluice-tiny")
        .setBaseModelSha256("ab".repeat(32))
        .setAdapterUri(dir.toString())
        .setObjective(Objective.SFT)
        .setCreatedAt(T0.plusSeconds(60L * minute))
        .setExampleCount(24)
        .setReplayCount(3)
        .setRehearsalCount(6)
        .setTrainingSetSha256("cd".repeat(32))
        .setSources(List.of(new OffsetRange("sluice.examples.curated", 2, 10L, 34L)))
        .setMetrics(Map.of("final_loss", 1.1, "steps", 5.0))
        .setHyperparameters(Map.of("lr", "1e-3", "r", "8"))
        .build();
  }

  /** The evaluator's default forgetting budget, as its reports record it. */
  static final double BUDGET = 0.05;

  /**
   * Champion and base score 1.0 on every skill; the candidate {@code capitals} on capitals; judged
   * with the default budget.
   */
  static EvaluationReport report(
      String tenant, String track, String id, double capitals, int minute) {
    return report(tenant, track, id, capitals, minute, BUDGET);
  }

  /** As above, judged with {@code budget} (null: a report from before the field). */
  static EvaluationReport report(
      String tenant, String track, String id, double capitals, int minute, Double budget) {
    Map<String, Double> champion = Map.of("arithmetic", 1.0, "capitals", 1.0, "pattern", 1.0);
    return EvaluationReport.newBuilder()
        .setReportId("report-" + id)
        .setCandidateId(id)
        .setTenant(tenant)
        .setTrack(track)
        .setEvaluatedAt(T0.plusSeconds(60L * minute))
        .setDomainScores(Map.of("gate_score", -9.5, "loss", 9.5))
        .setBaselineDomainScores(Map.of("gate_score", -10.4, "loss", 10.4))
        .setBaseDomainScores(Map.of("gate_score", -10.4, "loss", 10.4))
        .setGeneralScores(Map.of("arithmetic", 1.0, "capitals", capitals, "pattern", 1.0))
        .setBaselineGeneralScores(champion)
        .setBaseGeneralScores(champion)
        .setForgetting(Map.of("arithmetic", 0.0, "capitals", 1.0 - capitals, "pattern", 0.0))
        .setHoldoutSize(12)
        .setDomainMetric("gate_score")
        .setDomainDifference(new PairedInterval(0.9, 0.8, 1.0, 0.95, 1000, 7L))
        .setSeconds(4.2)
        .setForgettingBudget(budget)
        .build();
  }

  static PromotionDecision promote(String tenant, String track, String id, int minute) {
    return decision(
        tenant,
        track,
        id,
        minute,
        Action.PROMOTE,
        GateReason.newBuilder()
            .setCode("PASSED")
            .setMessage("gate_score improved by +0.900, interval [+0.800, +1.000]")
            .setTask("gate_score")
            .build());
  }

  static PromotionDecision forgetting(String tenant, String track, String id, int minute) {
    return decision(
        tenant,
        track,
        id,
        minute,
        Action.REJECT,
        GateReason.newBuilder()
            .setCode("FORGETTING")
            .setMessage(
                "capitals dropped 1.000 -> 0.400 (60.0 points > 2.0 allowed) against the champion")
            .setTask("capitals")
            .setFromValue(1.0)
            .setToValue(0.4)
            .setDrop(0.6)
            .setThreshold(0.02)
            .build());
  }

  private static PromotionDecision decision(
      String tenant, String track, String id, int minute, Action action, GateReason reason) {
    return PromotionDecision.newBuilder()
        .setDecisionId("decision-" + id + "-" + minute)
        .setCandidateId(id)
        .setTenant(tenant)
        .setTrack(track)
        .setAction(action)
        .setReasons(List.of(reason.getMessage()))
        .setReportId("report-" + id)
        .setActor("gate")
        .setDecidedAt(T0.plusSeconds(60L * minute))
        .setDetails(List.of(reason))
        .setRegistryVersion(action == Action.PROMOTE ? 1 : null)
        .build();
  }

  static RegistryEntry entry(String tenant, String track, String id, int minute) {
    Instant at = T0.plusSeconds(60L * minute);
    return RegistryEntry.newBuilder()
        .setTenant(tenant)
        .setTrack(track)
        .setVersion(1)
        .setActive(
            new AdapterRef(
                id, "/store/" + id, "sluice-tiny", at, "decision-" + id + "-" + minute, null))
        .setUpdatedAt(at)
        .setActor("gate")
        .setDecisionId("decision-" + id + "-" + minute)
        .build();
  }
}
