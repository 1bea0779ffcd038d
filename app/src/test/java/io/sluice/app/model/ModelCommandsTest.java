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

  /** Exit code 2 and the error line, for commands that must refuse their input. */
  private String runRefused(String... args) {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).as("sluice %s", String.join(" ", args)).isEqualTo(2);
    return err.toString();
  }

  /**
   * A random Llama 3.2-format checkpoint: llama3 rope scaling, Llama 3 specials and template, eos
   * ids.
   */
  private static Path llama3Checkpoint(Path dir) throws Exception {
    io.sluice.model.LlamaConfig config =
        new io.sluice.model.LlamaConfig(
                32, 64, 2, 4, 2, 8, 1e-5, 500000, 256, 261, true, 256, List.of(257, 260), false)
            .withRope(500000, io.sluice.model.layers.RopeScaling.llama3(32, 1, 4, 64));
    try (io.sluice.model.LlamaModel model =
        io.sluice.model.LlamaModel.random(config, 3, 0.3, ai.djl.Device.cpu())) {
      model.save(dir);
    }
    io.sluice.model.io.TinyTokenizer.writeLlama3(dir);
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [257, 260]}");
    return dir;
  }

  @Test
  void generateRunsALlama3CheckpointWithItsOwnTemplate() throws Exception {
    Path base = llama3Checkpoint(dir.resolve("llama3"));
    assertThat(
            run("generate", "--base", base.toString(), "--prompt", "Hi", "--max-new-tokens", "4"))
        .isNotNull();
    assertThat(
            run(
                "generate",
                "--base",
                base.toString(),
                "--chat-template",
                "llama3",
                "--prompt",
                "Hi",
                "--max-new-tokens",
                "2"))
        .isNotNull();
    // ChatML's <|im_end|> is no token of this tokenizer: refused in one line, not run with the
    // wrong template
    assertThat(
            runRefused(
                "generate",
                "--base",
                base.toString(),
                "--chat-template",
                "chatml",
                "--prompt",
                "Hi"))
        .contains("'<|im_end|>' must be one token");
  }

  @Test
  void aCheckpointWithAnUnknownConfigKeyIsRefusedByName() throws Exception {
    Path base = llama3Checkpoint(dir.resolve("odd"));
    Path config = base.resolve("config.json");
    Files.writeString(
        config, Files.readString(config).replaceFirst("\\{", "{\"sliding_window\": 64,"));
    assertThat(runRefused("generate", "--base", base.toString(), "--prompt", "Hi"))
        .contains("'sliding_window' = 64 is shorter than max_position_embeddings (256)");
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
    List<String> lines =
        run("pretrain", "--out", out.toString(), "--steps", "5", "--no-eval", "--json")
            .lines()
            .toList();
    JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(result.path("steps").asInt()).isEqualTo(5);
    for (String file :
        List.of(
            "config.json",
            "model.safetensors",
            "tokenizer.json",
            "manifest.json",
            "pretrain_report.json")) {
      assertThat(out.resolve(file)).exists();
    }
    assertThat(run("generate", "--base", out.toString(), "--prompt", "Hi", "--max-new-tokens", "3"))
        .isNotNull();
  }

  @Test
  void trainWritesAPeftAdapterThatGenerateApplies() throws Exception {
    Path data = dir.resolve("curated.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      // exactly what `sluice curate` writes: curated records in Avro's plain JSON form
      lines
          .append(
              io.sluice.schemas.AvroJson.toJsonLine(
                  io.sluice.schemas.avro.CuratedExample.newBuilder()
                      .setId("r" + i)
                      .setSourceId("r" + i)
                      .setTenant("acme")
                      .setTrack("support")
                      .setKind(io.sluice.schemas.avro.ExampleKind.SFT)
                      .setOrigin(io.sluice.schemas.avro.Origin.EXAMPLE)
                      .setPrompt(
                          List.of(
                              io.sluice.schemas.event.ChatMessages.of(
                                  io.sluice.schemas.avro.Role.user, "Where is order " + i + "?")))
                      .setCompletion("It ships today.")
                      .setSplit(
                          i == 5
                              ? io.sluice.schemas.avro.Split.HOLDOUT
                              : io.sluice.schemas.avro.Split.TRAIN)
                      .setContentHash("h" + i)
                      .setLineage(
                          new io.sluice.schemas.avro.Lineage("sluice.events.raw", 0, (long) i))
                      .setEventTimestamp(java.time.Instant.EPOCH)
                      .setCuratedAt(java.time.Instant.EPOCH)
                      .build()))
          .append('\n');
    }
    Files.writeString(data, lines);
    Path adapter = dir.resolve("adapter");
    String summary =
        run(
            "train",
            "--data",
            data.toString(),
            "--out",
            adapter.toString(),
            "--epochs",
            "1",
            "--batch-size",
            "2");
    assertThat(summary).contains("SFT adapter written").contains("5 train / 1 holdout");
    assertThat(adapter.resolve("adapter_config.json")).exists();
    assertThat(adapter.resolve("adapter_model.safetensors")).exists();
    assertThat(adapter.resolve("training_report.json")).exists();
    assertThat(
            run(
                "generate",
                "--adapter",
                adapter.toString(),
                "--prompt",
                "Capital of Italy?",
                "--max-new-tokens",
                "8"))
        .isNotBlank();
  }

  @Test
  void trainRecordsTheBaseNameAndHashAndRefusesDpoOnMixedData() throws Exception {
    Path data = dir.resolve("mixed.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      boolean sft = i % 2 == 0;
      var record =
          io.sluice.schemas.avro.CuratedExample.newBuilder()
              .setId("r" + i)
              .setSourceId("r" + i)
              .setTenant("acme")
              .setTrack("support")
              .setKind(
                  sft
                      ? io.sluice.schemas.avro.ExampleKind.SFT
                      : io.sluice.schemas.avro.ExampleKind.PREFERENCE)
              .setOrigin(io.sluice.schemas.avro.Origin.EXAMPLE)
              .setPrompt(
                  List.of(
                      io.sluice.schemas.event.ChatMessages.of(
                          io.sluice.schemas.avro.Role.user, "Order " + i + "?")))
              .setSplit(io.sluice.schemas.avro.Split.TRAIN)
              .setContentHash("h" + i)
              .setLineage(new io.sluice.schemas.avro.Lineage("sluice.events.raw", 0, (long) i))
              .setEventTimestamp(java.time.Instant.EPOCH)
              .setCuratedAt(java.time.Instant.EPOCH);
      if (sft) {
        record.setCompletion("Shipped.");
      } else {
        record.setChosen("yes").setRejected("no");
      }
      lines.append(io.sluice.schemas.AvroJson.toJsonLine(record.build())).append('\n');
    }
    Files.writeString(data, lines);
    assertThat(
            runRefused(
                "train",
                "--data",
                data.toString(),
                "--out",
                dir.resolve("dpo").toString(),
                "--objective",
                "dpo"))
        .contains("4 of the 8 TRAIN records are SFT examples");
    assertThat(dir.resolve("dpo")).doesNotExist();
    Path adapter = dir.resolve("adapter");
    String summary =
        run(
            "train",
            "--data",
            data.toString(),
            "--out",
            adapter.toString(),
            "--epochs",
            "1",
            "--batch-size",
            "4",
            "--base-name",
            "acme/tiny-base",
            "--checkpoint-activations");
    assertThat(summary)
        .contains("SFT_DPO adapter written")
        .contains("4 SFT examples, 4 DPO pairs, 0 KTO votes used");
    ObjectMapper json = new ObjectMapper();
    assertThat(
            json.readTree(adapter.resolve("adapter_config.json").toFile())
                .path("base_model_name_or_path")
                .asText())
        .isEqualTo("acme/tiny-base");
    JsonNode report = json.readTree(adapter.resolve("training_report.json").toFile());
    assertThat(report.path("base_model_sha256").asText()).hasSize(64);
    assertThat(report.path("checkpoint_activations").asBoolean()).isTrue();
    assertThat(report.path("dpo_pairs").asInt()).isEqualTo(4);
  }
}
