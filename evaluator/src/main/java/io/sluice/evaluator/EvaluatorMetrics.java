package io.sluice.evaluator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The evaluator's meters ({@code sluice_evaluator_*} in Prometheus). Labels are tenants, tracks,
 * tasks, roles, outcomes and reason codes, all of bounded cardinality; adapter ids never become
 * labels (one series per adapter would grow without end).
 */
final class EvaluatorMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();
  private final Timer windowToDecision;
  private final Timer evaluation;

  EvaluatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    windowToDecision =
        Timer.builder("sluice.evaluator.window.to.decision")
            .description(
                "Time from a training window's first curated example to the decision on its candidate")
            .register(registry);
    evaluation =
        Timer.builder("sluice.evaluator.evaluation")
            .description("Wall time of one candidate's evaluation (inspection, scoring, gate)")
            .register(registry);
  }

  void recordEvaluation(EvaluationReport report) {
    Tags track = Tags.of("tenant", report.getTenant(), "track", report.getTrack());
    evaluation.record(Duration.ofMillis(Math.round(report.getSeconds() * 1000)));
    report
        .getGeneralScores()
        .forEach(
            (task, v) ->
                gauge(
                    "sluice.evaluator.task.score",
                    track.and("task", task, "role", "candidate"),
                    v,
                    "General task score by role"));
    report
        .getBaselineGeneralScores()
        .forEach(
            (task, v) ->
                gauge(
                    "sluice.evaluator.task.score",
                    track.and("task", task, "role", "champion"),
                    v,
                    "General task score by role"));
    report
        .getBaseGeneralScores()
        .forEach(
            (task, v) ->
                gauge(
                    "sluice.evaluator.task.score",
                    track.and("task", task, "role", "base"),
                    v,
                    "General task score by role"));
    report
        .getForgetting()
        .forEach(
            (task, v) ->
                gauge(
                    "sluice.evaluator.forgetting",
                    track.and("task", task),
                    v,
                    "Champion minus candidate score per general task of the last evaluation"));
    report
        .getDomainScores()
        .forEach(
            (metric, v) ->
                gauge(
                    "sluice.evaluator.domain.score",
                    track.and("metric", metric, "role", "candidate"),
                    v,
                    "Domain holdout metric by role"));
    report
        .getBaselineDomainScores()
        .forEach(
            (metric, v) ->
                gauge(
                    "sluice.evaluator.domain.score",
                    track.and("metric", metric, "role", "champion"),
                    v,
                    "Domain holdout metric by role"));
    gauge(
        "sluice.evaluator.holdout.items",
        track,
        report.getHoldoutSize(),
        "Holdout items of the track's last snapshot");
  }

  void recordDecision(PromotionDecision decision, Long windowStartedAtMillis) {
    Set<String> codes = new TreeSet<>();
    decision.getDetails().forEach(d -> codes.add(d.getCode()));
    if (codes.isEmpty()) {
      codes.add("NONE");
    }
    for (String code : codes) {
      Counter.builder("sluice.evaluator.decisions")
          .description(
              "Decisions by outcome and reason code (a decision with several reasons counts under each)")
          .tags("outcome", decision.getAction().name(), "reason", code)
          .register(registry)
          .increment();
    }
    gauge(
        "sluice.evaluator.last.decision.timestamp.seconds",
        Tags.of("tenant", decision.getTenant(), "track", decision.getTrack()),
        decision.getDecidedAt().toEpochMilli() / 1000.0,
        "Unix time of the track's last decision (any outcome); alerts compare it with time()");
    if (windowStartedAtMillis != null) {
      long millis = decision.getDecidedAt().toEpochMilli() - windowStartedAtMillis;
      if (millis >= 0) {
        windowToDecision.record(Duration.ofMillis(millis));
      }
    }
  }

  /**
   * The champion per track as an info-style gauge: its value is the registry version (which changes
   * with every promotion and rollback); {@code _adapter} says whether an adapter (1) or the bare
   * base (0) serves.
   */
  void recordRegistry(RegistryEntry entry) {
    Tags track = Tags.of("tenant", entry.getTenant(), "track", entry.getTrack());
    gauge(
        "sluice.evaluator.champion.info",
        track,
        entry.getVersion(),
        "Registry version of the track's champion");
    gauge(
        "sluice.evaluator.champion.adapter",
        track,
        entry.getActive() == null ? 0 : 1,
        "1 while an adapter is the track's champion, 0 while the bare base serves");
  }

  private void gauge(String name, Tags tags, double value, String description) {
    String key = name + tags;
    gauges
        .computeIfAbsent(
            key,
            k -> {
              AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
              Gauge.builder(name, holder, AtomicReference::get)
                  .tags(tags)
                  .description(description)
                  .register(registry);
              return holder;
            })
        .set(value);
  }
}
