package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.DriftStatus;
import io.sluice.schemas.avro.FeatureDriftReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift reports on sluice.drift, through the topology: one per track per interval, ALERT only where
 * the data moved.
 */
class DriftReportTest {

  private static final int REFERENCE = 40;

  @TempDir Path stateDir;

  private OfflineTopology curator;

  private OfflineTopology start(Path dir) {
    CuratorConfig config =
        CuratorConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                CuratorConfig.DRIFT_REFERENCE_RECORDS_CONFIG, Integer.toString(REFERENCE),
                CuratorConfig.DRIFT_WINDOW_RECORDS_CONFIG, Integer.toString(REFERENCE),
                CuratorConfig.DRIFT_REPORT_INTERVAL_MS_CONFIG, "60000"));
    return CuratorDriver.start(config, dir);
  }

  @AfterEach
  void close() {
    if (curator != null) {
      curator.close();
    }
  }

  @Test
  void shouldAlertOnlyForTheTrackWhosePromptLengthAndLanguageShifted() {
    curator = start(stateDir);
    for (int i = 0; i < REFERENCE; i++) {
      curator.send(DriftEvents.english("acme", "support", "s" + i, i));
      curator.send(DriftEvents.english("acme", "billing", "b" + i, i));
    }
    for (int i = REFERENCE; i < 2 * REFERENCE; i++) {
      curator.send(DriftEvents.russian("acme", "support", "s" + i, i));
      curator.send(DriftEvents.english("acme", "billing", "b" + i, i));
    }
    assertThat(curator.rejected().isEmpty())
        .as("every event curated, so every one was observed")
        .isTrue();
    assertThat(curator.drift().isEmpty()).as("nothing before the first interval").isTrue();

    curator.driver().advanceWallClockTime(Duration.ofMinutes(1));

    Map<String, DriftReport> reports = byTrack(curator.drift().readValuesToList());
    assertThat(reports).containsOnlyKeys("support", "billing");
    DriftReport support = reports.get("support");
    assertThat(support.getStatus()).isEqualTo(DriftStatus.ALERT);
    assertThat(feature(support, "prompt_length").getStatus()).isEqualTo(DriftStatus.ALERT);
    assertThat(feature(support, "language").getStatus()).isEqualTo(DriftStatus.ALERT);
    assertThat(feature(support, "completion_length").getStatus()).isEqualTo(DriftStatus.OK);
    assertThat(feature(support, "prompt_length").getReferenceSize()).isEqualTo(REFERENCE);
    assertThat(feature(support, "prompt_length").getWindowSize()).isEqualTo(REFERENCE);
    assertThat(support.getWarnPsi()).isEqualTo(0.1);
    assertThat(support.getAlertPsi()).isEqualTo(0.25);

    DriftReport billing = reports.get("billing");
    assertThat(billing.getStatus()).isEqualTo(DriftStatus.OK);
    assertThat(feature(billing, "prompt_length").getPsi()).isLessThan(0.1);
    assertThat(feature(billing, "language").getPsi()).isLessThan(0.1);
    assertThat(curator.drift().isEmpty()).isTrue();
  }

  @Test
  void shouldReportPsiAsNullAndStatusOkWhileTheReferenceIsLearned() {
    curator = start(stateDir);
    curator.send(DriftEvents.english("acme", "support", "s0", 0));

    curator.driver().advanceWallClockTime(Duration.ofMinutes(1));

    DriftReport report = curator.drift().readValue();
    assertThat(report.getStatus()).isEqualTo(DriftStatus.OK);
    assertThat(feature(report, "prompt_length").getPsi()).isNull();
    assertThat(feature(report, "prompt_length").getReferenceSize()).isEqualTo(1);
    assertThat(report.getFeatures())
        .extracting(FeatureDriftReport::getFeature)
        .containsExactly(
            "prompt_length",
            "completion_length",
            "rating",
            "pii_rate",
            "duplicate_rate",
            "rejection_reason",
            "language");
    assertThat(curator.drift().isEmpty()).isTrue();
  }

  private static Map<String, DriftReport> byTrack(List<DriftReport> reports) {
    return reports.stream().collect(Collectors.toMap(DriftReport::getTrack, Function.identity()));
  }

  private static FeatureDriftReport feature(DriftReport report, String name) {
    return report.getFeatures().stream()
        .filter(f -> f.getFeature().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
