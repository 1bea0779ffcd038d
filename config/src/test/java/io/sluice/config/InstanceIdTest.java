package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstanceIdTest {

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              "demo.instance.id",
              ConfigDef.Type.STRING,
              "",
              InstanceId.VALIDATOR,
              ConfigDef.Importance.LOW,
              "id");

  private static Optional<String> load(String value) {
    Settings settings =
        Settings.load(
            DEFINITION, "demo", Optional.empty(), Map.of(), Map.of("demo.instance.id", value));
    return InstanceId.of(settings.values().get("demo.instance.id"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sluice-curator-0", "trainer_1.eu", "A"})
  void shouldAcceptPodNamesAndKafkaLegalIds(String id) {
    assertThat(load(id)).contains(id);
  }

  @Test
  void shouldTreatEmptyAsNoInstanceId() {
    assertThat(load("")).isEmpty();
    assertThat(load("  ")).isEmpty();
    assertThat(Settings.load(DEFINITION, "demo", Optional.empty(), Map.of(), Map.of()).values())
        .containsEntry("demo.instance.id", "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pod/0", "two words", "naïve", "curator:1"})
  void shouldRefuseIdsKafkaWouldRefuseNamingTheKey(String id) {
    assertThatThrownBy(() -> load(id))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.instance.id")
        .hasMessageContaining("letters, digits");
  }

  @Test
  void shouldRefuseIdsLongerThanTheLimit() {
    assertThat(load("a".repeat(InstanceId.MAX_LENGTH))).isPresent();
    assertThatThrownBy(() -> load("a".repeat(InstanceId.MAX_LENGTH + 1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most " + InstanceId.MAX_LENGTH);
  }
}
