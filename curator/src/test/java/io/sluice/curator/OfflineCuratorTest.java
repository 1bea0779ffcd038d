package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RejectedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineCuratorTest {

  private static final Instant NOW = Instant.parse("2025-04-01T12:00:00Z");

  @TempDir Path dir;

  private final OfflineCurator curator =
      new OfflineCurator(CuratorConfig.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  private static final String LINES =
      String.join(
              "\n",
              "{\"type\":\"example\",\"id\":\"e1\",\"tenant\":\"acme\",\"track\":\"support\",\"prompt\":\"How do I reset my router? I'm jane@example.com\",\"completion\":\"Hold the reset button for ten seconds.\"}",
              "{\"type\":\"example\",\"id\":\"e2\",\"tenant\":\"acme\",\"track\":\"support\",\"prompt\":\"how do I reset my router? I'm jane@example.com\",\"completion\":\"Hold the reset button for ten seconds!\"}",
              "this is not json, call 212-555-0199",
              "",
              "{\"type\":\"example\",\"tenant\":\"acme\",\"track\":\"support\",\"prompt\":\"Hi\"}",
              "{\"type\":\"feedback\",\"id\":\"f1\",\"tenant\":\"acme\",\"track\":\"support\",\"prompt\":\"Where is my invoice?\",\"response\":\"No idea.\",\"rating\":\"down\",\"correction\":\"Under Billing, then Invoices.\"}",
              "{\"type\":\"example\",\"tenant\":\"acme\",\"track\":\"support\",\"prompt\":\"What are your opening hours?\",\"completion\":\"We are open 9 to 5.\"}")
          + "\n";

  @Test
  void shouldCurateAFileAndAccountForEveryLine() throws IOException {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, LINES);
    Path curated = dir.resolve("curated.jsonl");
    Path rejected = dir.resolve("rejected.jsonl");

    CurateSummary summary = curator.run(input, curated, rejected);

    List<CuratedExample> out =
        Files.readAllLines(curated).stream()
            .map(l -> AvroJson.fromJsonLine(l, CuratedExample.class))
            .toList();
    List<RejectedEvent> refused =
        Files.readAllLines(rejected).stream()
            .map(l -> AvroJson.fromJsonLine(l, RejectedEvent.class))
            .toList();
    assertThat(out)
        .extracting(CuratedExample::getId)
        .containsExactly("e1", "f1#sft", "f1#preference", "events.jsonl:7");
    assertThat(out.get(0).getPrompt().toString()).contains("<EMAIL_1>").doesNotContain("jane@");
    assertThat(out.get(0).getLineage().getTopic()).isEqualTo("events.jsonl");
    assertThat(out.get(0).getLineage().getOffset()).isZero();
    assertThat(out.get(3).getLineage().getOffset()).isEqualTo(6);
    assertThat(out.get(3).getEventTimestamp()).isEqualTo(NOW);

    assertThat(refused)
        .extracting(RejectedEvent::getReason)
        .containsExactly("DUPLICATE", "MALFORMED_JSON", "INVALID_FIELD");
    assertThat(refused.get(0).getDuplicateOf()).isEqualTo("e1");
    assertThat(refused.get(0).getLineage().getOffset()).isEqualTo(1);
    assertThat(refused.get(1).getDetail()).startsWith("line 3:");
    assertThat(refused.get(1).getContent()).contains("<PHONE_1>").doesNotContain("555-0199");
    assertThat(refused.get(1).getLineage().getOffset()).isEqualTo(2);
    assertThat(refused.get(2).getDetail()).startsWith("line 5:").contains("/completion");

    assertThat(summary.in()).isEqualTo(6);
    assertThat(summary.out()).isEqualTo(4);
    assertThat(summary.rejected()).isEqualTo(3);
    assertThat(summary.duplicates()).isEqualTo(1);
    assertThat(summary.rejectedByReason())
        .containsEntry("MALFORMED_JSON", 1L)
        .containsEntry("INVALID_FIELD", 1L);
    assertThat(summary.piiByType()).containsEntry("EMAIL", 2L).containsEntry("PHONE", 1L);
    assertThat(summary.render()).contains("in:         6").contains("DUPLICATE: 1");
  }

  @Test
  void shouldProduceTheSameOutputOnEveryRun() throws IOException {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, LINES);
    curator.run(input, dir.resolve("a.jsonl"), dir.resolve("ra.jsonl"));
    curator.run(input, dir.resolve("b.jsonl"), dir.resolve("rb.jsonl"));

    assertThat(Files.readString(dir.resolve("b.jsonl")))
        .isEqualTo(Files.readString(dir.resolve("a.jsonl")));
    assertThat(Files.readString(dir.resolve("rb.jsonl")))
        .isEqualTo(Files.readString(dir.resolve("ra.jsonl")));
  }

  @Test
  void shouldRejectAnOverlongLineAndGoOn() throws IOException {
    OfflineCurator small =
        new OfflineCurator(
            CuratorConfig.load(
                Optional.empty(),
                Map.of(),
                Map.of(CuratorConfig.OFFLINE_MAX_LINE_BYTES_CONFIG, "1024")),
            Clock.fixed(NOW, ZoneOffset.UTC));
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, "{\"prompt\":\"" + "x".repeat(5_000) + "\"}\n" + LINES);

    CurateSummary summary = small.run(input, dir.resolve("c.jsonl"), dir.resolve("r.jsonl"));

    assertThat(summary.rejectedByReason()).containsEntry("LINE_TOO_LONG", 1L);
    assertThat(summary.out()).isEqualTo(4);
    RejectedEvent first =
        AvroJson.fromJsonLine(
            Files.readAllLines(dir.resolve("r.jsonl")).get(0), RejectedEvent.class);
    assertThat(first.getLineage().getOffset()).isZero();
    assertThat(first.getContent()).isNull();
  }

  @Test
  void shouldFailOnAMissingInputWithoutTouchingOutputs() throws IOException {
    Path curated = Files.writeString(dir.resolve("curated.jsonl"), "keep me\n");

    assertThatThrownBy(
            () -> curator.run(dir.resolve("missing.jsonl"), curated, dir.resolve("rejected.jsonl")))
        .hasMessageContaining("missing.jsonl");
    assertThat(Files.readString(curated)).isEqualTo("keep me\n");
    assertThat(dir.resolve("rejected.jsonl")).doesNotExist();
  }
}
