package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheDocumentedOnes() {
    TrainerConfig config = TrainerConfig.load(Optional.empty(), Map.of(), Map.of());
    TrackSettings d = config.defaults();
    assertThat(d.minExamples()).isEqualTo(64);
    assertThat(d.minExamplesOnTimeout()).isEqualTo(8);
    assertThat(d.maxWaitMs()).isEqualTo(600_000);
    assertThat(d.replayFraction()).isEqualTo(0.3);
    assertThat(d.rehearsalFraction()).isEqualTo(0.2);
    assertThat(d.initFromChampion()).isFalse();
    assertThat(config.track("acme/anything")).isSameAs(d);
  }

  @Test
  void perTrackOverridesFromTheCommandLineAndFromYaml() throws Exception {
    TrainerConfig fromFlags =
        TrainerConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "trainer.tracks.\"acme/support\".lr", "1e-3",
                "trainer.tracks.\"acme/support\".rehearsal.fraction", "0",
                "trainer.tracks.\"acme/support\".window.max.wait", "90s"));
    TrackSettings support = fromFlags.track("acme/support");
    assertThat(support.training().learningRate()).isEqualTo(1e-3);
    assertThat(support.rehearsalFraction()).isZero();
    assertThat(support.maxWaitMs()).isEqualTo(90_000);
    assertThat(support.minExamples()).isEqualTo(64);
    assertThat(fromFlags.track("acme/billing").training().learningRate()).isEqualTo(2e-4);

    Path yaml = dir.resolve("trainer.yaml");
    Files.writeString(
        yaml,
        """
        trainer:
          window.min.examples: 16
          tracks:
            "globex/sales.eu":
              lora.r: 4
              init: champion
        """);
    TrainerConfig fromYaml = TrainerConfig.load(Optional.of(yaml), Map.of(), Map.of());
    assertThat(fromYaml.track("globex/sales.eu").training().lora().r()).isEqualTo(4);
    assertThat(fromYaml.track("globex/sales.eu").initFromChampion()).isTrue();
    assertThat(fromYaml.track("globex/sales.eu").minExamples()).isEqualTo(16);
  }

  @Test
  void badKeysAndValuesFailWithTheirNames() {
    assertThatThrownBy(
            () ->
                TrainerConfig.load(
                    Optional.empty(), Map.of(), Map.of("trainer.windw.min.examples", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.windw.min.examples");
    assertThatThrownBy(
            () ->
                TrainerConfig.load(
                    Optional.empty(),
                    Map.of(),
                    Map.of("trainer.tracks.\"a/b\".bootstrap.servers", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a per-track setting");
    assertThatThrownBy(
            () ->
                TrainerConfig.load(
                    Optional.empty(), Map.of(), Map.of("trainer.tracks.\"a/b\".lr", "fast")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a/b")
        .hasMessageContaining("trainer.lr");
    assertThatThrownBy(
            () ->
                TrainerConfig.load(
                    Optional.empty(), Map.of(), Map.of("trainer.window.max.wait", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.window.max.wait");
    assertThatThrownBy(
            () ->
                TrainerConfig.load(
                    Optional.empty(),
                    Map.of(),
                    Map.of("trainer.replay.fraction", "0.6", "trainer.rehearsal.fraction", "0.5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must stay below 1");
    assertThatThrownBy(
            () -> TrainerConfig.load(Optional.empty(), Map.of("SLUICE_TRAINER_LRR", "1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_TRAINER_LRR");
  }

  @Test
  void environmentUsesTheSameNames() {
    TrainerConfig config =
        TrainerConfig.load(
            Optional.empty(), Map.of("SLUICE_TRAINER_WINDOW_MIN_EXAMPLES", "12"), Map.of());
    assertThat(config.defaults().minExamples()).isEqualTo(12);
  }
}
