package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EvaluatorConfigTest {

  @Test
  void shouldHaveDocumentedDefaults() {
    EvaluatorConfig config = EvaluatorConfig.defaults();
    assertThat(config.gate()).isEqualTo(GatePolicy.defaults());
    assertThat(config.gate().maxForgetting()).isEqualTo(0.02);
    assertThat(config.gate().resamples()).isGreaterThanOrEqualTo(1000);
    assertThat(config.gate().confidence()).isEqualTo(0.95);
    assertThat(config.baseDir()).isEmpty();
    assertThat(config.suiteFile()).isEmpty();
    assertThat(config.servingMaxRank()).isEqualTo(64);
  }

  @Test
  void shouldLayerEnvironmentAndOverrides() {
    EvaluatorConfig config =
        EvaluatorConfig.load(
            Optional.empty(),
            Map.of(
                "SLUICE_EVALUATOR_GATE_FORGETTING_MAX_DROP",
                "0.05",
                "SLUICE_EVALUATOR_ADAPTER_STORE",
                "/env/store"),
            Map.of(
                EvaluatorConfig.ADAPTER_STORE_CONFIG,
                "/cli/store",
                EvaluatorConfig.BASE_DIR_CONFIG,
                "/models/smol",
                "kafka.security.protocol",
                "SSL"));
    assertThat(config.gate().maxForgetting()).isEqualTo(0.05);
    assertThat(config.adapterStore()).isEqualTo(Path.of("/cli/store"));
    assertThat(config.baseDir()).contains(Path.of("/models/smol"));
    assertThat(config.kafka()).containsEntry("security.protocol", "SSL");
  }

  @Test
  void shouldRefuseUnknownKeysTooFewResamplesAndABudgetBelowEpsilon() {
    assertThatThrownBy(
            () ->
                EvaluatorConfig.load(
                    Optional.empty(), Map.of(), Map.of("evaluator.gate.delta", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("evaluator.gate.delta");
    assertThatThrownBy(
            () ->
                EvaluatorConfig.load(
                    Optional.empty(),
                    Map.of(),
                    Map.of(EvaluatorConfig.BOOTSTRAP_RESAMPLES_CONFIG, "100")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EvaluatorConfig.BOOTSTRAP_RESAMPLES_CONFIG);
    assertThatThrownBy(
            () ->
                EvaluatorConfig.load(
                    Optional.empty(),
                    Map.of(),
                    Map.of(EvaluatorConfig.FORGETTING_BUDGET_CONFIG, "0.01")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EvaluatorConfig.FORGETTING_MAX_DROP_CONFIG);
  }

  @Test
  void shouldRefuseAnotherBaseWithoutASuiteFile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path base = dir.resolve("other-model");
    java.nio.file.Files.createDirectories(base);
    try (var files = java.nio.file.Files.list(io.sluice.model.DefaultBaseModel.path())) {
      for (Path f :
          files.filter(f -> !f.getFileName().toString().equals("manifest.json")).toList()) {
        java.nio.file.Files.copy(f, base.resolve(f.getFileName()));
      }
    }
    EvaluatorConfig config =
        Fixtures.config(
            dir.resolve("state"),
            dir.resolve("store"),
            EvaluatorConfig.BASE_DIR_CONFIG,
            base.toString());
    assertThatThrownBy(
            () ->
                EvaluatorService.start(
                    config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EvaluatorConfig.SUITE_FILE_CONFIG)
        .hasMessageContaining("other-model");
  }
}
