package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Settings;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PiiConfigTest {

  private static PiiConfig load(Map<String, String> overrides) {
    Settings settings =
        Settings.load(
            PiiConfig.define(new ConfigDef()), "curator", Optional.empty(), Map.of(), overrides);
    return PiiConfig.from(settings.values());
  }

  @Test
  void shouldTurnEveryTypeOnByDefault() {
    assertThat(load(Map.of())).isEqualTo(PiiConfig.defaults());
    assertThat(PiiConfig.defaults().types()).isEqualTo(EnumSet.allOf(PiiType.class));
    assertThat(PiiConfig.defaults().nameMaxTokens()).isEqualTo(3);
    assertThat(PiiConfig.defaults().secretMinLength()).isEqualTo(4);
  }

  @Test
  void shouldParseTypesCaseInsensitivelyAndLimits() {
    PiiConfig config =
        load(
            Map.of(
                PiiConfig.TYPES_CONFIG, "email, Phone,SECRET",
                PiiConfig.NAME_MAX_TOKENS_CONFIG, "2",
                PiiConfig.SECRET_MIN_LENGTH_CONFIG, "8"));

    assertThat(config)
        .isEqualTo(new PiiConfig(Set.of(PiiType.EMAIL, PiiType.PHONE, PiiType.SECRET), 2, 8));
  }

  @Test
  void shouldAllowTurningEveryTypeOff() {
    assertThat(load(Map.of(PiiConfig.TYPES_CONFIG, "")).types()).isEmpty();
  }

  @Test
  void shouldRejectUnknownTypeNamingTheKeyAndTheKnownTypes() {
    assertThatThrownBy(() -> load(Map.of(PiiConfig.TYPES_CONFIG, "EMAIL,PASSPORT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(PiiConfig.TYPES_CONFIG)
        .hasMessageContaining("PASSPORT")
        .hasMessageContaining("SECRET");
  }

  @Test
  void shouldRejectOutOfRangeLimitsNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of(PiiConfig.NAME_MAX_TOKENS_CONFIG, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(PiiConfig.NAME_MAX_TOKENS_CONFIG);
    assertThatThrownBy(() -> load(Map.of(PiiConfig.SECRET_MIN_LENGTH_CONFIG, "65")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(PiiConfig.SECRET_MIN_LENGTH_CONFIG);
    assertThatThrownBy(() -> new PiiConfig(Set.of(), 6, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(PiiConfig.NAME_MAX_TOKENS_CONFIG + " must be within [1, 5] but was 6");
  }

  @Test
  void shouldReadOnlyAsManyNameWordsAsConfigured() {
    PiiAnonymizer oneWord = new PiiAnonymizer(new PiiConfig(EnumSet.allOf(PiiType.class), 1, 4));

    assertThat(oneWord.anonymize("my name is Jane Mary Doe").text())
        .isEqualTo("my name is <NAME_1> Mary Doe");
  }

  @Test
  void shouldIgnoreCredentialValuesShorterThanTheMinimum() {
    PiiAnonymizer strict = new PiiAnonymizer(new PiiConfig(EnumSet.allOf(PiiType.class), 3, 8));

    assertThat(strict.anonymize("password=abc123 token=abcd1234").text())
        .isEqualTo("password=abc123 token=<SECRET_1>");
  }
}
