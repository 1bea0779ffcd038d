package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, end to end on a real in-process broker. */
class QuickstartCommandTest {

  @TempDir Path dataDir;

  @Test
  void shouldCurateTheDemoFileThroughTheWholePipeline() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = SluiceCli.commandLine().execute("quickstart", "--data-dir", dataDir.toString());
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(code).as(out).isZero();
    assertThat(out)
        .contains("-> HTTP 202")
        .containsPattern("sluice.events.raw\\s+20 events")
        .contains("DEDUPLICATE DUPLICATE")
        .contains("acme/support-bot")
        .contains("globex/support-bot")
        .contains("<IBAN_1>")
        // The demo's raw PII must not reach the curated or rejected topics.
        .doesNotContain("jane.doe@example.com")
        .doesNotContain("4111 1111 1111 1111")
        .doesNotContain("DE89 3704");
  }
}
