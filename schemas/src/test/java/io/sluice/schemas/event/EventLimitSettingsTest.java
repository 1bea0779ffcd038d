package io.sluice.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EventLimitSettingsTest {

  private final EventLimitSettings settings = new EventLimitSettings("svc.");
  private final ConfigDef definition = settings.define(new ConfigDef(), " (see svc docs)");

  @Test
  void shouldDefaultToTheShippedLimits() {
    assertThat(settings.read(definition.parse(Map.of()))).isEqualTo(EventLimits.DEFAULT);
  }

  @Test
  void shouldReadEveryLimitUnderThePrefix() {
    Map<String, Object> values =
        definition.parse(
            Map.of(
                "svc.max.id.length", "1",
                "svc.max.text.length", "2",
                "svc.max.prompt.messages", "3",
                "svc.max.metadata.entries", "4",
                "svc.max.metadata.key.length", "5",
                "svc.max.metadata.value.length", "6"));

    assertThat(settings.read(values)).isEqualTo(new EventLimits(1, 2, 3, 4, 5, 6));
    assertThat(definition.configKeys().get("svc.max.text.length").documentation)
        .endsWith("(see svc docs)");
  }

  @Test
  void shouldRejectANonPositiveLimitNamingTheKey() {
    assertThatThrownBy(() -> definition.parse(Map.of("svc.max.prompt.messages", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("svc.max.prompt.messages");
  }
}
