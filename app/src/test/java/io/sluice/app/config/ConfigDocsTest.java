package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

  private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

  @Test
  void theCommittedReferenceIsGeneratedFromTheServicesDefinitions() throws Exception {
    String committed = Files.readString(REFERENCE);

    assertThat(ConfigCommand.regenerate(committed))
        .as(
            "docs/configuration.md is stale: run `bin/sluice config docs --write"
                + " docs/configuration.md` and commit it")
        .isEqualTo(committed);
  }
}
