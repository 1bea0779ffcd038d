package io.sluice.curator.metrics;

import static io.sluice.curator.metrics.CuratorMetrics.PII;
import static io.sluice.curator.metrics.CuratorMetrics.RECORDS_IN;
import static io.sluice.curator.metrics.CuratorMetrics.RECORDS_OUT;
import static io.sluice.curator.metrics.CuratorMetrics.RECORDS_REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.curator.drift.DriftConfig;
import io.sluice.curator.drift.Feature;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.Stage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counters keep their names and tags, and each track, stage and reason counts on its own. */
class CuratorMetricsTest {

  private static final String[] ACME = track("acme", "support");
  private static final String[] UNKNOWN = track(CuratorMetrics.UNKNOWN, CuratorMetrics.UNKNOWN);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final CuratorMetrics metrics = new CuratorMetrics(registry, DriftConfig.defaults());

  @Test
  void countsEachTrackUnderItsOwnTags() {
    metrics.recordIn("acme", "support");
    metrics.recordIn("acme", "support");
    metrics.recordIn("acme", "billing");
    metrics.recordIn("globex", "support");
    metrics.recordIn(null, null);

    assertThat(count(RECORDS_IN, ACME)).isEqualTo(2);
    assertThat(count(RECORDS_IN, track("acme", "billing"))).isEqualTo(1);
    assertThat(count(RECORDS_IN, track("globex", "support"))).isEqualTo(1);
    assertThat(count(RECORDS_IN, UNKNOWN)).isEqualTo(1);
  }

  @Test
  void countsCuratedByKindAndSplitRejectedByStageAndReasonPiiByType() {
    metrics.recordCurated("acme", "support", "SFT", "TRAIN", 40, 30, 0);
    metrics.recordCurated("acme", "support", "SFT", "TRAIN", 40, 30, 0);
    metrics.recordCurated("acme", "support", "SFT", "HOLDOUT", 40, 30, 0);
    metrics.recordCurated("acme", "support", "DPO", "TRAIN", 40, 30, 0);
    metrics.recordRejected("acme", "support", Stage.DEDUPLICATE, RejectionReason.DUPLICATE);
    metrics.recordRejected("acme", "support", Stage.FILTER, RejectionReason.TOO_SHORT);
    metrics.recordRejected("acme", "support", Stage.FILTER, RejectionReason.TOO_SHORT);
    metrics.recordRejected(null, null, Stage.VALIDATE, RejectionReason.UNREADABLE);
    metrics.recordPii("acme", "support", Map.of("EMAIL", 2, "PHONE", 1));
    metrics.recordPii("acme", "support", Map.of("EMAIL", 1));

    assertThat(count(RECORDS_OUT, ACME, "kind", "SFT", "split", "TRAIN")).isEqualTo(2);
    assertThat(count(RECORDS_OUT, ACME, "kind", "SFT", "split", "HOLDOUT")).isEqualTo(1);
    assertThat(count(RECORDS_OUT, ACME, "kind", "DPO", "split", "TRAIN")).isEqualTo(1);
    assertThat(count(RECORDS_REJECTED, ACME, "stage", "DEDUPLICATE", "reason", "DUPLICATE"))
        .isEqualTo(1);
    assertThat(count(RECORDS_REJECTED, ACME, "stage", "FILTER", "reason", "TOO_SHORT"))
        .isEqualTo(2);
    assertThat(count(RECORDS_REJECTED, UNKNOWN, "stage", "VALIDATE", "reason", "UNREADABLE"))
        .isEqualTo(1);
    assertThat(count(PII, ACME, "type", "EMAIL")).isEqualTo(3);
    assertThat(count(PII, ACME, "type", "PHONE")).isEqualTo(1);
    // Only what was recorded is registered: no zero series for combinations never seen.
    assertThat(registry.find(CuratorMetrics.RECORDS_IN).counters()).isEmpty();
    assertThat(registry.find(CuratorMetrics.RECORDS_OUT).counters()).hasSize(3);
  }

  @Test
  void feedsTheDriftOfTheRightTrack() {
    for (int i = 0; i < 10; i++) {
      metrics.recordRating("acme", "support", 5);
    }
    metrics.recordRating("acme", "billing", 1);

    assertThat(metrics.drift().report("acme/support", 0).getFeatures())
        .anySatisfy(
            feature -> {
              assertThat(feature.getFeature()).isEqualTo(Feature.RATING.tag());
              assertThat(feature.getWindowSize()).isEqualTo(10);
            });
    assertThat(metrics.drift().report("acme/billing", 0).getFeatures())
        .anySatisfy(
            feature -> {
              assertThat(feature.getFeature()).isEqualTo(Feature.RATING.tag());
              assertThat(feature.getWindowSize()).isEqualTo(1);
            });
  }

  private static String[] track(String tenant, String track) {
    return new String[] {"tenant", tenant, "track", track};
  }

  private double count(String name, String[] track, String... moreTags) {
    return registry.get(name).tags(track).tags(moreTags).counter().count();
  }
}
