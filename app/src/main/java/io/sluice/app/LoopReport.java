package io.sluice.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The loop half of the quickstart: candidates, evaluation reports, decisions and registry entries
 * as they are committed, printed as they arrive, until every expected track has a decision.
 */
final class LoopReport {
  private final List<AdapterCandidate> candidates = new ArrayList<>();
  private final Map<String, EvaluationReport> reports = new LinkedHashMap<>();
  private final List<PromotionDecision> decisions = new ArrayList<>();
  private final Map<String, RegistryEntry> registry = new LinkedHashMap<>();
  private long lastDecisionAtNanos;
  private boolean complete;

  /** Waits until each of {@code tracks} (tenant/track) has a decision, or the timeout passes. */
  static LoopReport await(
      String bootstrapServers, Set<String> tracks, Duration timeout, PrintStream out) {
    LoopReport loop = new LoopReport();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(
          List.of(
              Topics.ADAPTERS_CANDIDATES.name(),
              Topics.ADAPTERS_EVALUATIONS.name(),
              Topics.ADAPTERS_DECISIONS.name(),
              Topics.ADAPTERS_REGISTRY.name()));
      while (System.nanoTime() < deadline && !loop.decided(tracks)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          loop.accept(record, out);
        }
      }
    }
    loop.complete = loop.decided(tracks);
    return loop;
  }

  private boolean decided(Set<String> tracks) {
    return tracks.stream()
        .allMatch(
            t ->
                decisions.stream()
                    .anyMatch(d -> Topics.trackKey(d.getTenant(), d.getTrack()).equals(t)));
  }

  private void accept(ConsumerRecord<String, byte[]> record, PrintStream out) {
    String topic = record.topic();
    if (topic.equals(Topics.ADAPTERS_CANDIDATES.name())) {
      AdapterCandidate c =
          Topics.ADAPTERS_CANDIDATES.valueSerde().deserializer().deserialize(topic, record.value());
      candidates.add(c);
      Map<String, Double> m = c.getMetrics();
      out.printf(
          "  trained    %-22s %s: %s on %d window (%d semantic duplicates left out)"
              + " + %d replay + %d rehearsal examples, loss %.3f -> %.3f, %.1f s%n",
          c.getTenant() + "/" + c.getTrack(),
          c.getCandidateId(),
          c.getObjective(),
          c.getExampleCount(),
          c.getSemanticDuplicates(),
          c.getReplayCount(),
          c.getRehearsalCount(),
          m.getOrDefault("first_loss", Double.NaN),
          m.getOrDefault("final_loss", Double.NaN),
          m.getOrDefault("seconds", Double.NaN));
    } else if (topic.equals(Topics.ADAPTERS_EVALUATIONS.name())) {
      EvaluationReport r =
          Topics.ADAPTERS_EVALUATIONS
              .valueSerde()
              .deserializer()
              .deserialize(topic, record.value());
      reports.put(r.getCandidateId(), r);
    } else if (topic.equals(Topics.ADAPTERS_DECISIONS.name())) {
      PromotionDecision d =
          Topics.ADAPTERS_DECISIONS.valueSerde().deserializer().deserialize(topic, record.value());
      decisions.add(d);
      lastDecisionAtNanos = System.nanoTime();
      out.printf(
          "  %-10s %-22s %s%n",
          d.getAction(), d.getTenant() + "/" + d.getTrack(), d.getCandidateId());
      for (GateReason reason : d.getDetails()) {
        out.printf("               %s%n", reason.getMessage());
      }
    } else if (record.value() != null) {
      RegistryEntry e =
          Topics.ADAPTERS_REGISTRY.valueSerde().deserializer().deserialize(topic, record.value());
      registry.put(Topics.trackKey(e.getTenant(), e.getTrack()), e);
    }
  }

  boolean complete() {
    return complete;
  }

  long lastDecisionAtNanos() {
    return lastDecisionAtNanos;
  }

  List<PromotionDecision> decisions() {
    return decisions;
  }

  void print(PrintStream out) {
    out.printf("%n%-26s %4d%n", Topics.ADAPTERS_CANDIDATES.name(), candidates.size());
    out.printf("%-26s %4d%n", Topics.ADAPTERS_DECISIONS.name(), decisions.size());
    for (PromotionDecision d : decisions) {
      EvaluationReport r = reports.get(d.getCandidateId());
      String domain =
          r == null || r.getDomainDifference() == null
              ? ""
              : String.format(
                  "domain %s %+.3f [%.3f, %.3f]",
                  r.getDomainMetric(),
                  r.getDomainDifference().getMean(),
                  r.getDomainDifference().getLower(),
                  r.getDomainDifference().getUpper());
      String worst =
          r == null
              ? ""
              : r.getForgetting().entrySet().stream()
                  .max(Map.Entry.comparingByValue())
                  .map(e -> String.format("worst forgetting %s %.2f", e.getKey(), e.getValue()))
                  .orElse("");
      out.printf(
          "    %-8s %-22s %s  %s  reasons %s%n",
          d.getAction(),
          d.getTenant() + "/" + d.getTrack(),
          domain,
          worst,
          d.getDetails().stream().map(GateReason::getCode).distinct().toList());
    }
    out.printf("%-26s%n", Topics.ADAPTERS_REGISTRY.name());
    registry.forEach(
        (track, e) ->
            out.printf(
                "    %-30s champion %s (version %d)%n",
                track,
                e.getActive() == null ? "none" : e.getActive().getCandidateId(),
                e.getVersion()));
  }

  /** The decisions part of {@code --summary-json}. */
  ArrayNode decisionsJson(ObjectMapper json) {
    ArrayNode out = json.createArrayNode();
    for (PromotionDecision d : decisions) {
      ObjectNode node = out.addObject();
      node.put("adapter_id", d.getCandidateId());
      node.put("tenant", d.getTenant());
      node.put("track", d.getTrack());
      node.put("decision", d.getAction().name());
      ArrayNode reasons = node.putArray("reasons");
      for (GateReason g : d.getDetails()) {
        ObjectNode reason = reasons.addObject();
        reason.put("code", g.getCode());
        reason.put("message", g.getMessage());
        putIfPresent(reason, "task", g.getTask());
        putIfPresent(reason, "from", g.getFromValue());
        putIfPresent(reason, "to", g.getToValue());
        putIfPresent(reason, "drop", g.getDrop());
        putIfPresent(reason, "threshold", g.getThreshold());
        putIfPresent(reason, "lower", g.getLower());
        putIfPresent(reason, "upper", g.getUpper());
      }
      EvaluationReport r = reports.get(d.getCandidateId());
      ObjectNode domain = node.putObject("domain");
      ObjectNode general = node.putObject("general");
      if (r != null) {
        domain.put("metric", r.getDomainMetric());
        domain.put("holdout_size", r.getHoldoutSize());
        domain.set("candidate", json.valueToTree(r.getDomainScores()));
        domain.set("champion", json.valueToTree(r.getBaselineDomainScores()));
        domain.set("base", json.valueToTree(r.getBaseDomainScores()));
        if (r.getDomainDifference() != null) {
          domain.put("difference", r.getDomainDifference().getMean());
          domain.put("lower", r.getDomainDifference().getLower());
          domain.put("upper", r.getDomainDifference().getUpper());
        }
        r.getGeneralScores()
            .forEach(
                (task, score) -> {
                  ObjectNode t = general.putObject(task);
                  t.put("candidate", score);
                  t.put("champion", r.getBaselineGeneralScores().getOrDefault(task, Double.NaN));
                  t.put("base", r.getBaseGeneralScores().getOrDefault(task, Double.NaN));
                  t.put("forgetting", r.getForgetting().getOrDefault(task, 0.0));
                });
      }
    }
    return out;
  }

  int candidateCount() {
    return candidates.size();
  }

  private static void putIfPresent(ObjectNode node, String field, Object value) {
    if (value instanceof Double d) {
      node.put(field, d);
    } else if (value != null) {
      node.put(field, value.toString());
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG, "sluice-quickstart-loop-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
