package io.sluice.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The trainer's own metrics, {@code sluice_trainer_*}, labelled by tenant and track only. */
final class TrainerMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

  TrainerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void windowTrained(
      String tenant,
      String track,
      int examples,
      double seconds,
      double tokensPerSecond,
      double loss) {
    Counter.builder("sluice_trainer_windows_trained")
        .description("Windows trained into a published candidate.")
        .tags("tenant", tenant, "track", track)
        .register(registry)
        .increment();
    Counter.builder("sluice_trainer_examples")
        .description("Curated train examples in trained windows.")
        .tags("tenant", tenant, "track", track)
        .register(registry)
        .increment(examples);
    Timer.builder("sluice_trainer_run_duration")
        .description("Time of one training run.")
        .tags("tenant", tenant, "track", track)
        .register(registry)
        .record(Duration.ofNanos((long) (seconds * 1e9)));
    gauge(
            "sluice_trainer_tokens_per_second",
            "Training throughput of the track's last run.",
            tenant,
            track)
        .set(tokensPerSecond);
    gauge("sluice_trainer_last_loss", "Final training loss of the track's last run.", tenant, track)
        .set(loss);
  }

  void semanticDuplicates(String tenant, String track, int count) {
    Counter.builder("sluice_trainer_semantic_duplicates")
        .description("Window examples not trained as paraphrases of earlier kept ones.")
        .tags("tenant", tenant, "track", track)
        .register(registry)
        .increment(count);
  }

  void windowFailed(String tenant, String track, String reason) {
    Counter.builder("sluice_trainer_windows_failed")
        .description("Training runs that failed, by reason.")
        .tags("tenant", tenant, "track", track, "reason", reason)
        .register(registry)
        .increment();
  }

  void examplesRejected(String tenant, String track, int count) {
    Counter.builder("sluice_trainer_examples_rejected")
        .description("Examples sent to sluice.events.rejected as TRAINING_FAILED.")
        .tags("tenant", tenant, "track", track)
        .register(registry)
        .increment(count);
  }

  void pending(String tenant, String track, int count) {
    gauge(
            "sluice_trainer_pending_examples",
            "Train examples waiting in the track's window.",
            tenant,
            track)
        .set((double) count);
  }

  private AtomicReference<Double> gauge(
      String name, String description, String tenant, String track) {
    return gauges.computeIfAbsent(
        name + "|" + tenant + "|" + track,
        key -> {
          AtomicReference<Double> value = new AtomicReference<>(0.0);
          Gauge.builder(name, value, AtomicReference::get)
              .description(description)
              .tags("tenant", tenant, "track", track)
              .register(registry);
          return value;
        });
  }
}
