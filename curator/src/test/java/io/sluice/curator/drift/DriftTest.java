package io.sluice.curator.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftTest {

  @Test
  void shouldGiveZeroPsiForIdenticalDistributionsAndGrowWithShift() {
    long[] reference = {10, 20, 30, 40};

    assertThat(Psi.of(reference, new long[] {1, 2, 3, 4}, 1e-4))
        .isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
    double small = Psi.of(reference, new long[] {12, 20, 30, 38}, 1e-4);
    double large = Psi.of(reference, new long[] {40, 30, 20, 10}, 1e-4);
    assertThat(small).isPositive().isLessThan(0.1);
    assertThat(large).isGreaterThan(0.25);
  }

  @Test
  void shouldStayFiniteWhenABinIsEmptyOnOneSide() {
    assertThat(Psi.of(new long[] {100, 0}, new long[] {0, 100}, 1e-4)).isFinite().isGreaterThan(1);
  }

  @Test
  void shouldReportNaNUntilTheReferenceIsComplete() {
    FeatureDrift drift = FeatureDrift.learning(Feature.PII_RATE, 10, 10, 1e-4);
    for (int i = 0; i < 9; i++) {
      drift.observe(0);
    }
    assertThat(drift.psi()).isNaN();

    drift.observe(0);
    assertThat(drift.psi()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void shouldDetectAShiftInTheRollingWindowAgainstTheFirstRecords() {
    FeatureDrift drift = FeatureDrift.learning(Feature.PROMPT_LENGTH, 100, 50, 1e-4);
    for (int i = 0; i < 100; i++) {
      drift.observe(40);
    }
    assertThat(drift.psi()).isLessThan(0.1);

    for (int i = 0; i < 50; i++) {
      drift.observe(3_000);
    }
    assertThat(drift.psi()).isGreaterThan(0.25);
    assertThat(drift.referenceCounts()[Feature.PROMPT_LENGTH.bin(40)]).isEqualTo(100);
  }

  @Test
  void shouldCompareWithAPinnedBaseline() {
    long[] baseline = {0, 1000};
    FeatureDrift drift = FeatureDrift.pinned(Feature.DUPLICATE_RATE, baseline, 10, 1e-4);
    for (int i = 0; i < 10; i++) {
      drift.observe(0);
    }
    assertThat(drift.psi()).isGreaterThan(1);
  }

  @Test
  void shouldExportOneGaugePerTrackAndFeature() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DriftMonitor monitor =
        new DriftMonitor(new DriftConfig(2, 2, 1e-4, Map.of(), 60_000, 0.1, 0.25), registry);

    monitor.observe("acme", "support", Feature.RATING, 5);
    monitor.observe("acme", "support", Feature.RATING, 5);
    monitor.observe("acme", "support", Feature.RATING, 1);
    monitor.observe("acme", "support", Feature.RATING, 1);

    assertThat(registry.find(DriftMonitor.PSI_GAUGE).gauges()).hasSize(Feature.values().length);
    double psi =
        registry
            .get(DriftMonitor.PSI_GAUGE)
            .tags("tenant", "acme", "track", "support", "feature", "rating")
            .gauge()
            .value();
    assertThat(psi).isGreaterThan(1);
  }

  @Test
  void shouldBinOutcomesByReasonWithAnOtherBin() {
    assertThat(Feature.REJECTION_REASON.bin(Feature.Outcomes.value("CURATED"))).isZero();
    assertThat(Feature.REJECTION_REASON.bin(Feature.Outcomes.value("DUPLICATE")))
        .isNotEqualTo(Feature.REJECTION_REASON.bin(Feature.Outcomes.value("TOO_SHORT")));
    assertThat(Feature.REJECTION_REASON.bin(Feature.Outcomes.value("SOMETHING_NEW")))
        .isEqualTo(Feature.REJECTION_REASON.bins() - 1);
  }

  @Test
  void shouldContinueFromASavedReferenceAndWindowAfterARestart() {
    DriftConfig config = new DriftConfig(4, 4, 1e-4, Map.of(), 60_000, 0.1, 0.25);
    DriftMonitor before = new DriftMonitor(config, new SimpleMeterRegistry());
    for (int i = 0; i < 4; i++) {
      before.observe("acme", "support", Feature.LANGUAGE, 1);
    }
    byte[] saved = before.snapshot("acme/support");

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DriftMonitor after = new DriftMonitor(config, registry);
    after.restore("acme/support", saved);
    for (int i = 0; i < 4; i++) {
      after.observe("acme", "support", Feature.LANGUAGE, 2);
    }

    assertThat(after.psi("acme", "support", Feature.LANGUAGE))
        .as("drift against the saved reference")
        .isGreaterThan(1);
    assertThat(
            registry
                .get(DriftMonitor.PSI_GAUGE)
                .tags("tenant", "acme", "track", "support", "feature", "language")
                .gauge()
                .value())
        .isGreaterThan(1);
    assertThat(after.snapshot("acme/support")).isNotEqualTo(saved);
    assertThat(after.snapshot("globex/other")).isNull();
  }

  @Test
  void shouldKeepTheNewestObservationsWhenTheWindowShrinks() {
    DriftMonitor wide =
        new DriftMonitor(
            new DriftConfig(1, 6, 1e-4, Map.of(), 60_000, 0.1, 0.25), new SimpleMeterRegistry());
    wide.observe("acme", "support", Feature.PII_RATE, 0);
    for (int i = 0; i < 5; i++) {
      wide.observe("acme", "support", Feature.PII_RATE, 1);
    }
    DriftMonitor narrow =
        new DriftMonitor(
            new DriftConfig(1, 2, 1e-4, Map.of(), 60_000, 0.1, 0.25), new SimpleMeterRegistry());

    narrow.restore("acme/support", wide.snapshot("acme/support"));

    assertThat(
            narrow
                .report("acme/support", 0)
                .getFeatures()
                .get(Feature.PII_RATE.ordinal())
                .getWindowSize())
        .isEqualTo(2);
    assertThat(narrow.psi("acme", "support", Feature.PII_RATE))
        .as("reference {0}, window {1, 1}")
        .isGreaterThan(1);
  }

  @Test
  void shouldTellScriptsApart() {
    assertThat(Script.CATEGORIES.get(Script.category("How do I reset it?"))).isEqualTo("latin");
    assertThat(Script.CATEGORIES.get(Script.category("Почему не работает вход?")))
        .isEqualTo("cyrillic");
    assertThat(Script.CATEGORIES.get(Script.category("パスワードを忘れました"))).isEqualTo("japanese");
    assertThat(Script.CATEGORIES.get(Script.category("密码 reset"))).isEqualTo("latin");
    assertThat(Script.CATEGORIES.get(Script.category("123 ?!"))).isEqualTo("none");
  }
}
