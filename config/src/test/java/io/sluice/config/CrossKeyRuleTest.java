package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CrossKeyRuleTest {

  @Test
  void shouldPassWhenTheRuleHolds() {
    assertThatCode(() -> CrossKeyRule.require(true, "a.max", 1, "be at least", "a.min", 2, ""))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldNameBothKeysAndValuesWhenTheRuleIsBroken() {
    assertThatThrownBy(
            () ->
                CrossKeyRule.require(
                    false, "a.max", 1, "be at least", "a.min", 2, ": a range needs both ends"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value 1 for configuration a.max: must be at least a.min (2): a range needs"
                + " both ends");
  }
}
