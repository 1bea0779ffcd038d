package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              "demo.port",
              ConfigDef.Type.INT,
              8080,
              ConfigDef.Range.between(1, 65535),
              ConfigDef.Importance.HIGH,
              "port")
          .define("demo.name", ConfigDef.Type.STRING, "x", ConfigDef.Importance.LOW, "name");

  @TempDir Path dir;

  @Test
  void shouldApplyDefaultsWhenNothingIsSet() {
    Settings settings = Settings.load(DEFINITION, "demo", Optional.empty(), Map.of(), Map.of());

    assertThat(settings.values()).containsEntry("demo.port", 8080).containsEntry("demo.name", "x");
    assertThat(settings.kafkaClientProperties()).isEmpty();
    assertThat(Settings.defaults(DEFINITION)).isEqualTo(settings);
  }

  @Test
  void shouldLayerFileThenEnvironmentThenOverrides() throws Exception {
    Path file = Files.writeString(dir.resolve("s.properties"), "demo.port=1000\ndemo.name=file\n");

    Settings settings =
        Settings.load(
            DEFINITION,
            "demo",
            Optional.of(file),
            Map.of("SLUICE_DEMO_PORT", "2000", "PATH", "/bin"),
            Map.of("demo.name", "cli"));

    assertThat(settings.values())
        .containsEntry("demo.port", 2000)
        .containsEntry("demo.name", "cli");
  }

  @Test
  void shouldFlattenNestedYaml() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("s.yaml"), "demo:\n  port: 3000\nkafka:\n  security.protocol: SSL\n");

    Settings settings = Settings.load(DEFINITION, "demo", Optional.of(file), Map.of(), Map.of());

    assertThat(settings.values()).containsEntry("demo.port", 3000);
    assertThat(settings.kafkaClientProperties()).containsEntry("security.protocol", "SSL");
  }

  @Test
  void shouldPassKafkaPropertiesThroughFromEnvironment() {
    Settings settings =
        Settings.load(
            DEFINITION,
            "demo",
            Optional.empty(),
            Map.of("SLUICE_KAFKA_SASL_MECHANISM", "PLAIN"),
            Map.of());

    assertThat(settings.kafkaClientProperties()).containsEntry("sasl.mechanism", "PLAIN");
  }

  @Test
  void shouldRejectUnknownKeyByName() throws Exception {
    Path file = Files.writeString(dir.resolve("s.properties"), "demo.prot=1000\n");

    assertThatThrownBy(
            () -> Settings.load(DEFINITION, "demo", Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.prot");
  }

  @Test
  void shouldRejectUnknownEnvironmentVariableInOwnScopeOnly() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    DEFINITION,
                    "demo",
                    Optional.empty(),
                    Map.of("SLUICE_DEMO_PROT", "1"),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_DEMO_PROT");
    assertThat(
            Settings.load(
                    DEFINITION, "demo", Optional.empty(), Map.of("SLUICE_OTHER_X", "1"), Map.of())
                .values())
        .containsEntry("demo.port", 8080);
  }

  @Test
  void shouldRejectInvalidValueNamingTheKey() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    DEFINITION, "demo", Optional.empty(), Map.of(), Map.of("demo.port", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.port");
    assertThatThrownBy(
            () ->
                Settings.load(
                    DEFINITION, "demo", Optional.empty(), Map.of(), Map.of("demo.port", "abc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.port");
  }

  @Test
  void shouldNameEnvironmentVariables() {
    assertThat(Settings.environmentName("ingest.max.event-bytes"))
        .isEqualTo("SLUICE_INGEST_MAX_EVENT_BYTES");
  }
}
