package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

  @Test
  void rendersDefaultsRangesAndUnitsInDefinitionOrder() {
    ConfigDef definition =
        new ConfigDef()
            .define(
                "svc.max.body.bytes",
                Type.INT,
                4 << 20,
                Range.between(1024, 1 << 30),
                Importance.LOW,
                "Largest body.")
            .define(
                "svc.bootstrap.servers",
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Brokers, a|b.")
            .define(
                "svc.lr", Type.DOUBLE, 2e-4, Range.between(1e-12, 10.0), Importance.LOW, "Rate.")
            .define(
                "svc.retention.ms",
                Type.LONG,
                2_592_000_000L,
                Range.atLeast(1),
                Importance.LOW,
                "Keep.")
            .define(
                "svc.mode",
                Type.STRING,
                "auto",
                ConfigDef.ValidString.in("auto", "cpu"),
                Importance.LOW,
                "Mode.")
            .define("svc.tags", Type.LIST, "", Importance.LOW, "Tags.");

    String table = ConfigDocs.table(definition, Set.of());

    assertThat(table)
        .isEqualTo(
            """
        | key | default | valid | meaning |
        |---|---|---|---|
        | `svc.max.body.bytes` | `4194304` (4 MiB) | 1 KiB – 1 GiB | Largest body. |
        | `svc.bootstrap.servers` | (required) | non-empty | Brokers, a\\|b. |
        | `svc.lr` | `2e-4` | 1e-12 – 10 | Rate. |
        | `svc.retention.ms` | `2592000000` (30 days) | ≥ 1 | Keep. |
        | `svc.mode` | `auto` | auto, cpu | Mode. |
        | `svc.tags` | empty | comma-separated | Tags. |
        """);
  }

  @Test
  void marksTheKeysATrackMayOverride() {
    ConfigDef definition =
        new ConfigDef()
            .define("t.lr", Type.DOUBLE, 0.25, Importance.LOW, "Rate.")
            .define("t.port", Type.INT, 9000, Importance.LOW, "Port.");

    String table = ConfigDocs.table(definition, Set.of("t.lr"));

    assertThat(table)
        .contains("| key | default | valid | per track | meaning |")
        .contains("| `t.lr` | `0.25` | any double | yes | Rate. |")
        .contains("| `t.port` | `9000` | any int |  | Port. |");
  }

  @Test
  void aDescribedValidatorStillValidatesAndAnUndescribedLambdaIsRefusedByKey() {
    ConfigDef.Validator evenOnly =
        (name, value) -> {
          if ((Integer) value % 2 != 0) {
            throw new ConfigException(name, value, "must be even");
          }
        };
    ConfigDef described =
        new ConfigDef()
            .define(
                "x.even",
                Type.INT,
                2,
                ConfigDocs.described("an even number", evenOnly),
                Importance.LOW,
                "Even.");
    ConfigDef bare =
        new ConfigDef().define("x.even", Type.INT, 2, evenOnly, Importance.LOW, "Even.");

    assertThat(ConfigDocs.table(described, Set.of()))
        .contains("| `x.even` | `2` | an even number | Even. |");
    assertThatThrownBy(() -> described.parse(java.util.Map.of("x.even", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be even");
    assertThatThrownBy(() -> ConfigDocs.table(bare, Set.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("x.even");
  }

  @Test
  void replacesOnlyTheNamedSection() {
    String document =
        "intro\n<!-- config:a -->\nold a\n<!-- /config:a -->\n"
            + "<!-- config:b -->\nold b\n<!-- /config:b -->\nend\n";

    assertThat(ConfigDocs.replaceSection(document, "a", "new a\n"))
        .isEqualTo(
            "intro\n<!-- config:a -->\nnew a\n<!-- /config:a -->\n"
                + "<!-- config:b -->\nold b\n<!-- /config:b -->\nend\n");
    assertThatThrownBy(() -> ConfigDocs.replaceSection(document, "c", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config:c");
  }
}
