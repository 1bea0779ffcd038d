package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/import/openai} with files as people save them: OpenAI's documented examples, a
 * byte order mark, {@code \r\n} line ends, blank lines, trailing blanks, long lines, emoji and CJK
 * text, and the occasional malformed line, which refuses the whole file with its line number and
 * pointer.
 */
class OpenAiImportHttpTest {

  private static final List<String> DOCUMENTED =
      List.of(
          "chat.jsonl",
          "multi-turn.jsonl",
          "function-calling.jsonl",
          "dpo.jsonl",
          "legacy-function-calling.jsonl",
          "content-parts.jsonl");
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  @TempDir static Path brokerDir;
  private static EmbeddedBroker broker;
  private static IngestServer server;
  private static IngestHttp http;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(brokerDir, 0);
    server = IngestServer.start(TestConfigs.ingest(broker.bootstrapServers(), Map.of()));
    http = new IngestHttp(server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static List<String> documentedLines() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String file : DOCUMENTED) {
      lines.addAll(Files.readAllLines(OpenAiImportTest.OPENAI_EXAMPLES.resolve(file)));
    }
    return lines;
  }

  private static IngestHttp.Response upload(String track, byte[] body) {
    return http.post(
        "/v1/import/openai?tenant=acme&track=" + track, "application/x-ndjson", body, null);
  }

  private static List<RawEvent> eventsOf(String track, int atLeast) {
    return CommittedEvents.read(broker, atLeast, Duration.ofSeconds(20)).stream()
        .map(ConsumerRecord::value)
        .filter(event -> event.getTrack().equals(track))
        .toList();
  }

  private static String track() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void shouldImportEveryDocumentedLineOfAFileSavedWithBomCrlfAndBlankLines() throws Exception {
    String track = track();
    List<String> lines = new ArrayList<>(documentedLines());
    String unicode =
        "{\"messages\": [{\"role\": \"user\", \"content\": \"東京の天気は？ 🌧️\"},"
            + " {\"role\": \"assistant\", \"content\": \"雨です ☔ — bring an umbrella 🙂\"}]}";
    String longAnswer = "長".repeat(200_000); // 600,000 bytes of UTF-8 on one line
    String longLine =
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Repeat it.\"},"
            + " {\"role\": \"assistant\", \"content\": \""
            + longAnswer
            + "\"}]}";
    lines.add(unicode);
    lines.add(longLine);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(BOM);
    for (String line : lines) {
      body.write((line + " \t\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    IngestHttp.Response response = upload(track, body.toByteArray());

    assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
    assertThat(response.json().get("count").asInt()).isEqualTo(lines.size());
    List<RawEvent> written = eventsOf(track, lines.size());
    assertThat(written).hasSize(lines.size());
    assertThat(written.get(0).getCompletion())
        .isEqualTo("Paris, as if everyone doesn't know that already.");
    assertThat(written)
        .filteredOn(e -> e.getType() == EventType.preference)
        .singleElement()
        .satisfies(e -> assertThat(e.getRejected()).startsWith("It is not particularly cold"));
    RawEvent emoji = written.get(lines.size() - 2);
    assertThat(((ChatMessage) ((List<?>) emoji.getPrompt()).get(0)).getContent())
        .isEqualTo("東京の天気は？ 🌧️");
    assertThat(emoji.getCompletion()).isEqualTo("雨です ☔ — bring an umbrella 🙂");
    assertThat(written.get(lines.size() - 1).getCompletion()).isEqualTo(longAnswer);
  }

  @Test
  void shouldRefuseTheWholeFileNamingEachMalformedLine() throws Exception {
    String track = track();
    List<String> lines = new ArrayList<>(documentedLines());
    int good = lines.size();
    lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}"); // truncated
    lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    lines.add(
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
            + " {\"role\": \"tool\", \"tool_call_id\": \"call_9\", \"content\": \"21\"},"
            + " {\"role\": \"assistant\", \"content\": \"Hello\"}]}");
    lines.add(
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\","
            + " \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\", \"function\":"
            + " {\"name\": \"f\", \"arguments\": {\"city\": \"Paris\"}}}]}]}");
    lines.add("{\"prompt\": \"Hi\", \"completion\": \"Hello\"}");

    IngestHttp.Response response =
        upload(track, String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).as(response.raw().body()).isEqualTo(400);
    List<String> errors = new ArrayList<>();
    for (JsonNode error : response.json().get("errors")) {
      errors.add(error.get("line").asInt() + " " + error.get("pointer").asText());
      assertThat(error.get("message").asText()).isNotBlank();
    }
    assertThat(errors)
        .containsExactly(
            (good + 1) + " ",
            (good + 2) + " /messages",
            (good + 3) + " /messages/1/tool_call_id",
            (good + 4) + " /messages/1/tool_calls/0/function/arguments",
            (good + 5) + " ");
    assertThat(response.json().get("detail").asText()).contains("nothing was written");
    // A later import on the same track is visible, so the refused file would have been too.
    String sentinel = lines.get(0);
    assertThat(upload(track, sentinel.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(202);
    assertThat(eventsOf(track, 1)).hasSize(1);
  }
}
