package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CommonKeysTest {

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(CommonKeys.bootstrapServers("demo.bootstrap.servers", "localhost:9092", "b"))
          .define(CommonKeys.metricsPort("demo.metrics.port", 9464, "m"))
          .define(CommonKeys.instanceId("demo.instance.id", ConfigDef.Importance.LOW, "i"))
          .define(CommonKeys.host("demo.host", "h"))
          .define(CommonKeys.port("demo.port", 8080, "p"))
          .define(CommonKeys.adapterStore("demo.adapter.store", "a"));

  private static Map<String, Object> load(Map<String, String> overrides) {
    return Settings.load(DEFINITION, "demo", Optional.empty(), Map.of(), overrides).values();
  }

  @Test
  void shouldDefaultEveryKeyInDefinitionOrder() {
    assertThat(DEFINITION.configKeys().keySet())
        .containsExactly(
            "demo.bootstrap.servers",
            "demo.metrics.port",
            "demo.instance.id",
            "demo.host",
            "demo.port",
            "demo.adapter.store");
    assertThat(load(Map.of()))
        .containsEntry("demo.bootstrap.servers", "localhost:9092")
        .containsEntry("demo.metrics.port", 9464)
        .containsEntry("demo.instance.id", "")
        .containsEntry("demo.host", "0.0.0.0")
        .containsEntry("demo.port", 8080)
        .containsEntry("demo.adapter.store", "data/adapters");
  }

  @Test
  void shouldRequireBootstrapServersWithoutDefault() {
    ConfigDef required =
        new ConfigDef()
            .define(
                CommonKeys.bootstrapServers(
                    "demo.bootstrap.servers", ConfigDef.NO_DEFAULT_VALUE, "b"));
    assertThatThrownBy(() -> Settings.load(required, "demo", Optional.empty(), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.bootstrap.servers");
    assertThatThrownBy(() -> load(Map.of("demo.bootstrap.servers", "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.bootstrap.servers");
  }

  @Test
  void shouldRefusePortsOutsideTheTcpRangeNamingTheKey() {
    assertThat(load(Map.of("demo.metrics.port", "0", "demo.port", "65535")))
        .containsEntry("demo.metrics.port", 0)
        .containsEntry("demo.port", 65535);
    assertThatThrownBy(() -> load(Map.of("demo.metrics.port", "65536")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.metrics.port");
    assertThatThrownBy(() -> load(Map.of("demo.port", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.port");
  }

  @Test
  void shouldCheckInstanceIdsLikeInstanceId() {
    assertThat(load(Map.of("demo.instance.id", "pod-0")))
        .containsEntry("demo.instance.id", "pod-0");
    assertThatThrownBy(() -> load(Map.of("demo.instance.id", "pod/0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo.instance.id");
  }
}
