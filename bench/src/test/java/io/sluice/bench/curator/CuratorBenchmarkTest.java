package io.sluice.bench.curator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.curator.CuratorConfig;
import io.sluice.curator.OfflineTopology;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's generated input must exercise every stage, or the benchmark measures too little.
 */
class CuratorBenchmarkTest {

  private static final Instant WALL_CLOCK = Instant.parse("2025-03-02T00:00:00Z");

  @TempDir Path stateDir;

  @Test
  void shouldReportTheMedianOfThePerRoundRatiosAndTheBestRounds() {
    CuratorBenchmark.Result result =
        new CuratorBenchmark.Result(
            1000, List.of(10.0, 30.0, 20.0, 40.0), List.of(100.0, 100.0, 50.0, 400.0));

    assertThat(result.ratios()).containsExactly(0.1, 0.3, 0.4, 0.1);
    assertThat(result.ratio()).isCloseTo(0.2, within(1e-9));
    assertThat(result.curatorEventsPerSecond()).isEqualTo(40.0);
    assertThat(result.passThroughEventsPerSecond()).isEqualTo(400.0);
  }

  @Test
  void shouldGenerateTheSameEventsForTheSameSeed() {
    assertThat(CuratorBenchmark.generate(200, 7)).isEqualTo(CuratorBenchmark.generate(200, 7));
  }

  @Test
  void shouldGenerateInputWithPiiAndExactAndNearDuplicatesThatTheCuratorCatches() {
    List<RawEvent> events = CuratorBenchmark.generate(3000, 42);
    CuratorConfig config =
        CuratorConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"));
    try (OfflineTopology driver = new OfflineTopology(config, stateDir, WALL_CLOCK)) {
      events.forEach(driver::send);
      List<CuratedExample> curated = driver.curated().readValuesToList();
      List<RejectedEvent> duplicates =
          driver.rejected().readValuesToList().stream()
              .filter(r -> r.getReason().equals("DUPLICATE"))
              .toList();

      assertThat(curated.stream().filter(c -> !c.getPiiCounts().isEmpty()).count())
          .as("curated records that had PII")
          .isGreaterThan(curated.size() / 10);
      long near = duplicates.stream().filter(d -> d.getDetail().contains("near-duplicate")).count();
      assertThat(duplicates.size() - near).as("exact and cosmetic duplicates").isGreaterThan(100);
      assertThat(near).as("near duplicates").isGreaterThan(50);
      // Varied content: the duplicates are the generated copies (~10% of events; a copied vote
      // repeats both its records), not templated look-alikes.
      assertThat(duplicates.stream().map(RejectedEvent::getSourceId).distinct().count())
          .isLessThan(events.size() / 8);
    }
  }
}
