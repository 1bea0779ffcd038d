package io.sluice.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.SluiceCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The model commands end to end on the bundled default model. */
class ModelCommandsTest {
  @TempDir static Path home;
  @TempDir Path dir;
  private static String previousHome;

  // The bundled model is extracted under the sluice home; keep it out of the user's.
  @BeforeAll
  static void isolateSluiceHome() {
    previousHome = System.getProperty("sluice.home");
    System.setProperty("sluice.home", home.toString());
  }

  @AfterAll
  static void restoreSluiceHome() {
    if (previousHome == null) {
      System.clearProperty("sluice.home");
    } else {
      System.setProperty("sluice.home", previousHome);
    }
  }

  private String run(String... args) {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertThat(code).as("sluice %s\n%s", String.join(" ", args), err).isZero();
    return out.toString();
  }

  @Test
  void evalJsonEndsWithOneLineOfSkillAccuracies() throws Exception {
    List<String> lines = run("eval", "--suite", "general", "--json").lines().toList();
    JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(result.path("skills").size()).isEqualTo(6);
    assertThat(result.path("skills").path("capitals").asDouble()).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void pretrainWritesAModelThatEvalAndGenerateLoad() throws Exception {
    Path out = dir.resolve("tiny");
    List<String> lines = run("pretrain", "--out", out.toString(), "--steps", "5", "--no-eval", "--json").lines().toList();
    JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(result.path("steps").asInt()).isEqualTo(5);
    for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "manifest.json", "pretrain_report.json")) {
      assertThat(out.resolve(file)).exists();
    }
    assertThat(run("generate", "--base", out.toString(), "--prompt", "Hi", "--max-new-tokens", "3")).isNotNull();
  }

  @Test
  void trainWritesAPeftAdapterThatGenerateApplies() throws Exception {
    Path data = dir.resolve("curated.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      // exactly what `sluice curate` writes: curated records in Avro's plain JSON form
      lines.append(io.sluice.schemas.AvroJson.toJsonLine(io.sluice.schemas.avro.CuratedExample.newBuilder()
          .setId("r" + i).setSourceId("r" + i).setTenant("acme").setTrack("support")
          .setKind(io.sluice.schemas.avro.ExampleKind.SFT).setOrigin(io.sluice.schemas.avro.Origin.EXAMPLE)
          .setPrompt(List.of(new io.sluice.schemas.avro.ChatMessage(io.sluice.schemas.avro.Role.user, "Where is order " + i + "?")))
          .setCompletion("It ships today.")
          .setSplit(i == 5 ? io.sluice.schemas.avro.Split.HOLDOUT : io.sluice.schemas.avro.Split.TRAIN)
          .setContentHash("h" + i).setLineage(new io.sluice.schemas.avro.Lineage("sluice.events.raw", 0, (long) i))
          .setEventTimestamp(java.time.Instant.EPOCH).setCuratedAt(java.time.Instant.EPOCH)
          .build())).append('\n');
    }
    Files.writeString(data, lines);
    Path adapter = dir.resolve("adapter");
    String summary = run("train", "--data", data.toString(), "--out", adapter.toString(), "--epochs", "1", "--batch-size", "2");
    assertThat(summary).contains("SFT adapter written").contains("5 train / 1 holdout");
    assertThat(adapter.resolve("adapter_config.json")).exists();
    assertThat(adapter.resolve("adapter_model.safetensors")).exists();
    assertThat(adapter.resolve("training_report.json")).exists();
    assertThat(run("generate", "--adapter", adapter.toString(), "--prompt", "Capital of Italy?", "--max-new-tokens", "8"))
        .isNotBlank();
  }
}
