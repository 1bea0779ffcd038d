package io.sluice.app.curator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CurateCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int curate(String... args) {
    CommandLine cli = new CommandLine(new CurateCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void shouldCurateAFileAndPrintTheSummary() throws IOException {
    Path input =
        Files.writeString(
            dir.resolve("events.jsonl"),
            "{\"type\":\"example\",\"id\":\"e1\",\"tenant\":\"acme\",\"track\":\"support\",\"prompt\":\"How do I reset my router?\",\"completion\":\"Hold the reset button for ten seconds.\"}\n"
                + "{\"type\":\"example\",\"id\":\"e2\",\"tenant\":\"acme\",\"track\":\"support\",\"prompt\":\"How do I reset my router?\",\"completion\":\"Hold the reset button for ten seconds.\"}\n"
                + "not json\n");

    int code =
        curate(
            "--input", input.toString(),
            "--output", dir.resolve("curated.jsonl").toString(),
            "--rejected", dir.resolve("rejected.jsonl").toString(),
            "--set", "curator.split.holdout.fraction=0");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("in:         3")
        .contains("out:        1")
        .contains("DUPLICATE: 1")
        .contains("MALFORMED_JSON: 1");
    assertThat(Files.readAllLines(dir.resolve("curated.jsonl")))
        .singleElement()
        .asString()
        .contains("\"split\":\"TRAIN\"");
    assertThat(Files.readAllLines(dir.resolve("rejected.jsonl"))).hasSize(2);
  }

  @Test
  void shouldRefuseToOverwriteTheInput() throws IOException {
    Path input = Files.writeString(dir.resolve("events.jsonl"), "{}\n");

    int code =
        curate(
            "--input",
            input.toString(),
            "--output",
            input.toString(),
            "--rejected",
            dir.resolve("r.jsonl").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("three different files");
    assertThat(Files.readString(input)).isEqualTo("{}\n");
  }

  @Test
  void shouldNameAnUnknownSetting() throws IOException {
    Path input = Files.writeString(dir.resolve("events.jsonl"), "{}\n");

    int code =
        curate(
            "--input", input.toString(),
            "--output", dir.resolve("c.jsonl").toString(),
            "--rejected", dir.resolve("r.jsonl").toString(),
            "--set", "curator.split.holdout=0.2");

    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("curator.split.holdout");
    assertThat(dir.resolve("c.jsonl")).doesNotExist();
  }
}
