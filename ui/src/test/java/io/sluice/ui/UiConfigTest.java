package io.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class UiConfigTest {

  private static final Map<String, String> BROKER =
      Map.of(UiConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");

  @Test
  void defaultsAreTheDocumentedOnes() {
    UiConfig config = UiConfig.load(Optional.empty(), Map.of(), BROKER);

    assertThat(config.port()).isEqualTo(8090);
    assertThat(config.apiKeys().isOpen()).isTrue();
    assertThat(config.forgettingBudget()).as("each report's own budget").isEmpty();
    assertThat(config.caps()).isEqualTo(new UiConfig.Caps(10_000, 5_000, 2_000, 5_000));
  }

  @Test
  void keysAndCapsComeFromTheEnvironmentToo() {
    UiConfig config =
        UiConfig.load(
            Optional.empty(),
            Map.of(
                "SLUICE_UI_API_KEYS", "acme-key-0123456789=acme", "SLUICE_UI_MAX_DECISIONS", "7"),
            BROKER);

    assertThat(config.apiKeys().size()).isEqualTo(1);
    assertThat(config.apiKeys().lookup("acme-key-0123456789").orElseThrow().allows("acme"))
        .isTrue();
    assertThat(config.caps().decisions()).isEqualTo(7);
  }

  @Test
  void aForgettingBudgetSetOnTheUiOverridesTheReports() {
    assertThat(load(UiConfig.FORGETTING_BUDGET_CONFIG, "0.1").forgettingBudget()).hasValue(0.1);
    assertThatThrownBy(() -> load(UiConfig.FORGETTING_BUDGET_CONFIG, "1.5"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(UiConfig.FORGETTING_BUDGET_CONFIG);
    assertThatThrownBy(() -> load(UiConfig.FORGETTING_BUDGET_CONFIG, "five"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(UiConfig.FORGETTING_BUDGET_CONFIG);
  }

  @Test
  void badValuesFailNamingTheKeyAndNeverEchoAKey() {
    assertThatThrownBy(() -> UiConfig.load(Optional.empty(), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(UiConfig.BOOTSTRAP_SERVERS_CONFIG);
    assertThatThrownBy(() -> load(UiConfig.MAX_EVALUATIONS_CONFIG, "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(UiConfig.MAX_EVALUATIONS_CONFIG);
    assertThatThrownBy(() -> load("ui.max.decision", "5"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ui.max.decision");
    assertThatThrownBy(() -> load(UiConfig.API_KEYS_CONFIG, "short-secret=acme"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ui.api.keys: entry 1")
        .hasMessageNotContaining("short-secret");
  }

  private static UiConfig load(String key, String value) {
    return UiConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(UiConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092", key, value));
  }
}
