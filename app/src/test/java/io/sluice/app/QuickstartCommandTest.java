package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.ui.QuickstartPagesCheck;
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
  void shouldRunTheDemoThroughTheWholeLoop() throws Exception {
    Path summary = dataDir.resolve("summary.json");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code =
          SluiceCli.commandLine()
              .execute(
                  "quickstart",
                  "--data-dir",
                  dataDir.resolve("run").toString(),
                  "--once",
                  "--summary-json",
                  summary.toString(),
                  "--ui-port",
                  "0");
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(code).as(out).isZero();
    assertThat(out)
        .contains("-> HTTP 202")
        .containsPattern("Registry UI   http://localhost:\\d+/")
        .containsPattern("sluice.events.raw\\s+113 events")
        .contains("DEDUPLICATE DUPLICATE")
        .contains("acme/support-bot")
        .contains("globex/support-bot")
        .contains("<IBAN_1>")
        // The demo's raw PII must not reach the curated or rejected topics.
        .doesNotContain("jane.doe@example.com")
        .doesNotContain("4111 1111 1111 1111")
        .doesNotContain("DE89 3704")
        .doesNotContain("tom.baker@example.org");

    // The loop: both decisions come from the gate's own numbers; only training settings differ.
    JsonNode decisions = new ObjectMapper().readTree(summary.toFile()).path("decisions");
    JsonNode support = decision(decisions, "support-bot");
    JsonNode sales = decision(decisions, "sales-bot");
    assertThat(support.path("decision").asText()).as(support.toString()).isEqualTo("PROMOTE");
    assertThat(support.path("domain").path("lower").asDouble()).isGreaterThan(0);
    assertThat(sales.path("decision").asText()).as(sales.toString()).isEqualTo("REJECT");
    JsonNode forgetting = sales.path("reasons").get(0);
    assertThat(forgetting.path("code").asText()).isEqualTo("FORGETTING");
    assertThat(forgetting.path("task").asText()).isNotBlank();
    assertThat(forgetting.path("drop").asDouble()).isGreaterThan(0.02);
    assertThat(out)
        .contains("acme/support-bot               champion " + support.path("adapter_id").asText());

    QuickstartPagesCheck.check(
        dataDir.resolve("run"),
        support.path("adapter_id").asText(),
        sales.path("adapter_id").asText(),
        forgetting.path("task").asText());
  }

  private static JsonNode decision(JsonNode decisions, String track) {
    for (JsonNode d : decisions) {
      if (d.path("track").asText().equals(track)) {
        return d;
      }
    }
    throw new AssertionError("no decision for " + track + " in " + decisions);
  }
}
