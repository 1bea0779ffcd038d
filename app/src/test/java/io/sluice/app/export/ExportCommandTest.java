package io.sluice.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.SluiceCli;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.OfflineCurator;
import io.sluice.ingest.OpenAiImport;
import io.sluice.schemas.AvroJson;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export writes OpenAI and TRL lines, and importing an OpenAI export gives back the same curated
 * examples: OpenAI's documented chat, multi-turn, function-calling and DPO examples go through
 * import, curation, export, import and curation again unchanged.
 */
class ExportCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path OPENAI_EXAMPLES = Path.of("..", "examples", "openai");
  private static final List<String> FILES =
      List.of(
          "chat.jsonl",
          "multi-turn.jsonl",
          "function-calling.jsonl",
          "dpo.jsonl",
          "legacy-function-calling.jsonl",
          "content-parts.jsonl");

  @TempDir Path dir;

  private final AtomicInteger ids = new AtomicInteger();
  private final OpenAiImport importer =
      new OpenAiImport(
          "acme",
          "bot",
          new ServerDefaults(
              Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC),
              () -> "id-" + ids.incrementAndGet()),
          EventLimits.DEFAULT);
  private final OfflineCurator curator =
      new OfflineCurator(
          CuratorConfig.defaults(),
          Clock.fixed(Instant.parse("2025-01-02T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void importingAnOpenAiExportGivesBackTheSameExamples() throws Exception {
    List<String> openAi = new ArrayList<>();
    for (String file : FILES) {
      openAi.addAll(Files.readAllLines(OPENAI_EXAMPLES.resolve(file)));
    }
    Path curated = importAndCurate(openAi, "first");
    List<CuratedExample> first = read(curated);
    assertThat(first)
        .extracting(CuratedExample::getKind)
        .contains(ExampleKind.SFT, ExampleKind.PREFERENCE);
    assertThat(first).anySatisfy(r -> assertThat(r.getCompletionToolCalls()).isNotEmpty());

    List<String> exported = exportOpenAi(curated, "first");
    Path secondCurated = importAndCurate(exported, "second");
    List<CuratedExample> second = read(secondCurated);

    assertThat(second).hasSameSizeAs(first);
    assertThat(content(second)).isEqualTo(content(first));
    // and the exported lines themselves come back as they were
    assertThat(exportOpenAi(secondCurated, "second")).containsExactlyInAnyOrderElementsOf(exported);
  }

  private List<String> exportOpenAi(Path curated, String name) throws IOException {
    List<String> exported = new ArrayList<>();
    for (String split : List.of("train", "holdout")) {
      Path out = dir.resolve("export-" + name + "-" + split + ".jsonl");
      Run run =
          sluice(
              "export",
              "--from",
              curated.toString(),
              "--tenant",
              "acme",
              "--track",
              "bot",
              "--format",
              "openai",
              "--split",
              split,
              "--out",
              out.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      exported.addAll(Files.readAllLines(out));
    }
    return exported;
  }

  @Test
  void shouldWriteOpenAisOwnFunctionCallingLineBackAsItWasApartFromExplicitWeights()
      throws Exception {
    List<String> lines = Files.readAllLines(OPENAI_EXAMPLES.resolve("function-calling.jsonl"));
    Path curated = importAndCurate(lines, "fc");
    List<String> exported = new ArrayList<>();
    for (String split : List.of("train", "holdout")) {
      Path out = dir.resolve("fc-" + split + ".jsonl");
      sluice(
          "export",
          "--from",
          curated.toString(),
          "--tenant",
          "acme",
          "--track",
          "bot",
          "--format",
          "openai",
          "--split",
          split,
          "--out",
          out.toString());
      exported.addAll(Files.readAllLines(out));
    }
    JsonNode original = JSON.readTree(lines.get(0));
    assertThat(exported).extracting(JSON::readTree).contains(original);
  }

  @Test
  void shouldWriteTrlMessagesAndPreferenceLines() throws Exception {
    List<String> lines =
        new ArrayList<>(Files.readAllLines(OPENAI_EXAMPLES.resolve("function-calling.jsonl")));
    lines.addAll(Files.readAllLines(OPENAI_EXAMPLES.resolve("dpo.jsonl")));
    Path curated = importAndCurate(lines, "trl");
    List<JsonNode> exported = new ArrayList<>();
    for (String split : List.of("train", "holdout")) {
      Path out = dir.resolve("trl-" + split + ".jsonl");
      sluice(
          "export",
          "--from",
          curated.toString(),
          "--tenant",
          "acme",
          "--track",
          "bot",
          "--format",
          "trl",
          "--split",
          split,
          "--out",
          out.toString());
      for (String line : Files.readAllLines(out)) {
        exported.add(JSON.readTree(line));
      }
    }
    JsonNode call =
        exported.stream()
            .filter(l -> l.at("/messages/2/tool_call_id").isTextual())
            .findFirst()
            .orElseThrow();
    assertThat(call.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("call_id");
    assertThat(call.at("/messages/2/tool_call_id").asText()).isEqualTo("call_id");
    // transformers' chat templates take arguments as an object
    assertThat(call.at("/messages/1/tool_calls/0/function/arguments/location").asText())
        .isEqualTo("San Francisco, USA");
    assertThat(call.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("location");
    JsonNode pair = exported.stream().filter(l -> l.has("prompt")).findFirst().orElseThrow();
    assertThat(pair.at("/prompt/0/role").asText()).isEqualTo("user");
    assertThat(pair.at("/chosen/0/content").asText()).startsWith("Today in San Francisco");
    assertThat(pair.at("/rejected/0/content").asText())
        .isEqualTo("It is not particularly cold in San Francisco today.");
  }

  @Test
  void shouldWriteVotesAsTrlUnpairedPreferencesAndLeaveThemOutOfOpenAiFiles() throws Exception {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(
          "{\"type\":\"feedback\",\"tenant\":\"acme\",\"track\":\"bot\",\"id\":\"f-"
              + i
              + "\",\"prompt\":[{\"role\":\"user\",\"content\":\"Question "
              + i
              + "?\"}],\"response\":\"Answer "
              + i
              + ".\",\"rating\":\""
              + (i % 2 == 0 ? "up" : "down")
              + "\"}");
    }
    Path input = dir.resolve("votes-events.jsonl");
    Files.write(input, events);
    Path curated = dir.resolve("votes-curated.jsonl");
    curator.run(input, curated, dir.resolve("votes-rejected.jsonl"));
    List<CuratedExample> records = read(curated);
    long votes = records.stream().filter(r -> r.getKind() == ExampleKind.BINARY_FEEDBACK).count();
    assertThat(votes).isEqualTo(20); // and up-votes are SFT examples too

    List<JsonNode> trl = new ArrayList<>();
    List<String> openAi = new ArrayList<>();
    String notes = "";
    for (String split : List.of("train", "holdout")) {
      for (String format : List.of("trl", "openai")) {
        Path out = dir.resolve("votes-" + format + "-" + split + ".jsonl");
        Run run =
            sluice(
                "export",
                "--from",
                curated.toString(),
                "--tenant",
                "acme",
                "--track",
                "bot",
                "--format",
                format,
                "--split",
                split,
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String line : Files.readAllLines(out)) {
          if (format.equals("trl")) {
            trl.add(JSON.readTree(line));
          } else {
            openAi.add(line);
          }
        }
        notes += format.equals("openai") ? run.out() : "";
      }
    }

    assertThat(openAi).hasSize(records.size() - 20).allMatch(l -> l.startsWith("{\"messages\""));
    assertThat(notes).contains("left out").contains("binary-feedback (KTO) records");
    assertThat(trl).hasSize(records.size());
    List<JsonNode> unpaired = trl.stream().filter(l -> l.has("label")).toList();
    assertThat(unpaired).hasSize(20);
    JsonNode up =
        unpaired.stream()
            .filter(l -> l.at("/prompt/0/content").asText().equals("Question 4?"))
            .findFirst()
            .orElseThrow();
    assertThat(up.at("/prompt/0/role").asText()).isEqualTo("user");
    assertThat(up.at("/completion/0/role").asText()).isEqualTo("assistant");
    assertThat(up.at("/completion/0/content").asText()).isEqualTo("Answer 4.");
    assertThat(up.get("label").isBoolean()).isTrue();
    assertThat(up.get("label").booleanValue()).isTrue();
    assertThat(unpaired)
        .filteredOn(l -> !l.get("label").booleanValue())
        .hasSize(10)
        .allSatisfy(l -> assertThat(l.has("chosen")).isFalse());
  }

  @Test
  void shouldExportFromTheCuratedTopic() throws Exception {
    Path curated =
        importAndCurate(Files.readAllLines(OPENAI_EXAMPLES.resolve("chat.jsonl")), "topic");
    List<CuratedExample> records = read(curated);
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      try (KafkaProducer<String, CuratedExample> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new StringSerializer(),
              Topics.EXAMPLES_CURATED.valueSerde().serializer())) {
        for (CuratedExample record : records) {
          producer
              .send(new ProducerRecord<>(Topics.EXAMPLES_CURATED.name(), "acme/bot", record))
              .get();
        }
        CuratedExample otherTrack =
            CuratedExample.newBuilder(records.get(0)).setTrack("other").build();
        producer
            .send(new ProducerRecord<>(Topics.EXAMPLES_CURATED.name(), "acme/other", otherTrack))
            .get();
      }
      Path fromFile = dir.resolve("from-file.jsonl");
      Path fromTopic = dir.resolve("from-topic.jsonl");
      sluice(
          "export",
          "--from",
          curated.toString(),
          "--tenant",
          "acme",
          "--track",
          "bot",
          "--format",
          "openai",
          "--out",
          fromFile.toString());
      Run run =
          sluice(
              "export",
              "--topic",
              Topics.EXAMPLES_CURATED.name(),
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--tenant",
              "acme",
              "--track",
              "bot",
              "--format",
              "openai",
              "--out",
              fromTopic.toString());

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(Files.readAllLines(fromTopic))
          .isNotEmpty()
          .isEqualTo(Files.readAllLines(fromFile));
    }
  }

  @Test
  void shouldRefuseAmbiguousSourcesAndUnknownFormats() {
    Run both =
        sluice(
            "export",
            "--from",
            "a.jsonl",
            "--topic",
            Topics.EXAMPLES_CURATED.name(),
            "--tenant",
            "acme",
            "--track",
            "bot",
            "--format",
            "openai",
            "--out",
            dir.resolve("x").toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give exactly one of --from FILE and --topic");
    Run format =
        sluice(
            "export",
            "--from",
            "a.jsonl",
            "--tenant",
            "acme",
            "--track",
            "bot",
            "--format",
            "csv",
            "--out",
            dir.resolve("x").toString());
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("'csv' is not a format; use openai or trl");
  }

  /** What training sees of a record: everything but ids, lineage and times. */
  private static List<String> content(List<CuratedExample> records) {
    List<String> out = new ArrayList<>();
    for (CuratedExample record : records) {
      var json = AvroJson.toJson(record);
      json.remove(List.of("id", "sourceId", "lineage", "eventTimestamp", "curatedAt"));
      out.add(json.toString());
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private Path importAndCurate(List<String> openAiLines, String name) throws IOException {
    List<String> events = new ArrayList<>();
    for (String line : openAiLines) {
      ParseResult result = importer.convert(JSON.readTree(line));
      assertThat(result).as(line).isInstanceOf(ParseResult.Valid.class);
      events.add(NativeEvents.toJsonLine(((ParseResult.Valid) result).event()));
    }
    Path input = dir.resolve(name + "-events.jsonl");
    Files.write(input, events);
    Path curated = dir.resolve(name + "-curated.jsonl");
    curator.run(input, curated, dir.resolve(name + "-rejected.jsonl"));
    return curated;
  }

  private static List<CuratedExample> read(Path curated) throws IOException {
    return Files.readAllLines(curated).stream()
        .map(l -> AvroJson.fromJsonLine(l, CuratedExample.class))
        .toList();
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        SluiceCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
