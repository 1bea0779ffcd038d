package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.DriftStatus;
import io.sluice.schemas.avro.FeatureDriftReport;
import io.sluice.schemas.avro.RawEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift state survives a restart on a real broker: the curator learns an English reference for two
 * tracks, stops, and restarts on an EMPTY state directory, so its drift store can only come back
 * from the changelog. Then one track's prompts turn long and Russian. Had the reference been lost,
 * the Russian prompts would have become the new reference and every report would say OK.
 */
class DriftRestartTest {

  private static final int REFERENCE = 30;

  @RegisterExtension static final CuratorBroker BROKER = new CuratorBroker();

  @TempDir Path stateDir;

  private CuratorConfig config(Path state) {
    return BROKER.curatorConfig(
        "curator-drift-restart",
        state,
        Map.of(
            CuratorConfig.DRIFT_REFERENCE_RECORDS_CONFIG, Integer.toString(REFERENCE),
            CuratorConfig.DRIFT_WINDOW_RECORDS_CONFIG, Integer.toString(REFERENCE),
            CuratorConfig.DRIFT_REPORT_INTERVAL_MS_CONFIG, "300"));
  }

  @Test
  void shouldRaiseAlertForTheShiftedTrackOnlyAfterARestartWithWipedLocalState() throws Exception {
    Map<String, RawEvent> sent = new HashMap<>();
    try (KafkaProducer<String, byte[]> producer = RawTraffic.producer(BROKER.bootstrapServers())) {
      for (int i = 0; i < REFERENCE; i++) {
        RawTraffic.send(producer, DriftEvents.english("acme", "support", "s" + i, i), sent);
        RawTraffic.send(producer, DriftEvents.english("acme", "billing", "b" + i, i), sent);
      }
      producer.flush();
      try (CuratorService first =
          CuratorService.start(config(stateDir.resolve("first")), new SimpleMeterRegistry())) {
        first.awaitRunning(Duration.ofSeconds(60));
        // A committed report with the whole reference means the saved state was committed with it.
        awaitReport(
            r ->
                r.getTrack().equals("support")
                    && feature(r, "prompt_length").getReferenceSize() == REFERENCE);
        awaitReport(
            r ->
                r.getTrack().equals("billing")
                    && feature(r, "prompt_length").getReferenceSize() == REFERENCE);
      }

      for (int i = REFERENCE; i < 2 * REFERENCE; i++) {
        RawTraffic.send(producer, DriftEvents.russian("acme", "support", "s" + i, i), sent);
        RawTraffic.send(producer, DriftEvents.english("acme", "billing", "b" + i, i), sent);
      }
      producer.flush();
    }
    try (CuratorService second =
        CuratorService.start(config(stateDir.resolve("second")), new SimpleMeterRegistry())) {
      second.awaitRunning(Duration.ofSeconds(60));

      DriftReport support =
          awaitReport(
              r ->
                  r.getTrack().equals("support")
                      && feature(r, "language").getWindowSize() == REFERENCE
                      && feature(r, "language").getStatus() == DriftStatus.ALERT);
      assertThat(support.getStatus()).isEqualTo(DriftStatus.ALERT);
      assertThat(feature(support, "prompt_length").getStatus()).isEqualTo(DriftStatus.ALERT);
      assertThat(feature(support, "prompt_length").getReferenceSize()).isEqualTo(REFERENCE);

      DriftReport billing =
          awaitReport(
              r ->
                  r.getTrack().equals("billing")
                      && feature(r, "prompt_length").getWindowSize() == REFERENCE
                      && r.getReportedAt().isAfter(support.getReportedAt().minusMillis(1)));
      assertThat(billing.getStatus()).isEqualTo(DriftStatus.OK);
    }
  }

  /** The first committed report on sluice.drift matching {@code wanted}, read from the start. */
  private static DriftReport awaitReport(Predicate<DriftReport> wanted) {
    AvroSerde<DriftReport> serde = AvroSerde.of(DriftReport.class);
    try (KafkaConsumer<String, byte[]> consumer = BROKER.committedReader("drift-reader")) {
      consumer.subscribe(List.of(Topics.DRIFT.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          DriftReport report = serde.deserialize(Topics.DRIFT.name(), record.value());
          assertThat(record.key())
              .isEqualTo(Topics.trackKey(report.getTenant(), report.getTrack()));
          if (wanted.test(report)) {
            return report;
          }
        }
      }
    }
    throw new AssertionError("no matching drift report within 90 s");
  }

  private static FeatureDriftReport feature(DriftReport report, String name) {
    return report.getFeatures().stream()
        .filter(f -> f.getFeature().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
