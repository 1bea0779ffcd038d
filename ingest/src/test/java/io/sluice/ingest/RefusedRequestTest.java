package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, each with the status and pointer it must get. The broker address is a closed port:
 * every one of these is refused before anything would be written.
 */
class RefusedRequestTest {

  private static final String EVENTS = "/v1/events";
  private static final String BATCH = "/v1/events/batch";
  private static final String IMPORT = "/v1/import/openai?tenant=acme&track=bot";
  private static final String JSON = "application/json";
  private static final String NDJSON = "application/x-ndjson";
  private static final String GOOD =
      "{'type':'example','tenant':'acme','track':'bot','prompt':'Say hi','completion':'Hi!'}";

  private static IngestServer server;
  private static IngestHttp http;

  @BeforeAll
  static void start() {
    server = IngestServer.start(TestConfigs.ingest("127.0.0.1:1", Map.of()));
    http = new IngestHttp(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> refusedRequests() {
    String deep = "[".repeat(33) + "]".repeat(33);
    return Stream.of(
        refused("text/plain body", EVENTS, "text/plain", GOOD, 415, null, null),
        refused("no content type", EVENTS, null, GOOD, 415, null, null),
        refused("UTF-16 charset", EVENTS, JSON + "; charset=utf-16", GOOD, 415, null, null),
        refused("NDJSON to single endpoint", EVENTS, NDJSON, GOOD, 415, null, null),
        refused("JSON to batch endpoint", BATCH, JSON, GOOD, 415, null, null),
        refused("JSON to import endpoint", IMPORT, JSON, GOOD, 415, null, null),
        refused("truncated JSON", EVENTS, JSON, "{'type':", 400, null, ""),
        refusedBytes("invalid UTF-8", EVENTS, JSON, invalidUtf8(), 400, null, ""),
        refused("duplicate key", EVENTS, JSON, GOOD.replace("{", "{'tenant':'x',"), 400, null, ""),
        refused("two JSON values", EVENTS, JSON, GOOD + " {}", 400, null, ""),
        refused("nesting deeper than 32", EVENTS, JSON, deep, 400, null, ""),
        refused("empty body", EVENTS, JSON, "", 400, null, ""),
        refused("malformed batch line", BATCH, NDJSON, GOOD + "\n{oops\n" + GOOD, 400, 2, ""),
        refused(
            "event over 1 MiB",
            EVENTS,
            JSON,
            withCompletion("x".repeat(1_048_577)),
            413,
            null,
            null),
        refused(
            "batch line over 1 MiB",
            BATCH,
            NDJSON,
            GOOD + "\n" + withCompletion("x".repeat(1_048_577)),
            413,
            2,
            ""),
        refused(
            "batch of 10,001 lines", BATCH, NDJSON, (GOOD + "\n").repeat(10_001), 413, null, null),
        refused("JSON array", EVENTS, JSON, "[]", 422, null, ""),
        refused(
            "missing type",
            EVENTS,
            JSON,
            GOOD.replace("'type':'example',", ""),
            422,
            null,
            "/type"),
        refused(
            "uppercase tenant",
            EVENTS,
            JSON,
            GOOD.replace("'acme'", "'Acme'"),
            422,
            null,
            "/tenant"),
        refused(
            "track with space",
            EVENTS,
            JSON,
            GOOD.replace("'bot'", "'my bot'"),
            422,
            null,
            "/track"),
        refused(
            "unknown field", EVENTS, JSON, GOOD.replace("{", "{'user':'bob',"), 422, null, "/user"),
        refused(
            "example without completion",
            EVENTS,
            JSON,
            GOOD.replace(",'completion':'Hi!'", ""),
            422,
            null,
            "/completion"),
        refused(
            "preference with equal answers",
            EVENTS,
            JSON,
            "{'type':'preference','tenant':'acme','track':'bot','prompt':'p','chosen':'a','rejected':'a'}",
            422,
            null,
            "/rejected"),
        refused("rating six", EVENTS, JSON, feedback("6"), 422, null, "/rating"),
        refused("rating word", EVENTS, JSON, feedback("'meh'"), 422, null, "/rating"),
        refused(
            "prompt ending with assistant",
            EVENTS,
            JSON,
            GOOD.replace(
                "'Say hi'", "[{'role':'user','content':'a'},{'role':'assistant','content':'b'}]"),
            422,
            null,
            "/prompt/1/role"),
        refused(
            "unknown role",
            EVENTS,
            JSON,
            GOOD.replace("'Say hi'", "[{'role':'robot','content':'a'}]"),
            422,
            null,
            "/prompt/0/role"),
        refused(
            "timestamp without offset",
            EVENTS,
            JSON,
            GOOD.replace("{", "{'timestamp':'2025-01-31T09:30:00',"),
            422,
            null,
            "/timestamp"),
        refused(
            "nested metadata",
            EVENTS,
            JSON,
            GOOD.replace("{", "{'metadata':{'a':{'b':'c'}},"),
            422,
            null,
            "/metadata/a"),
        refused(
            "control character",
            EVENTS,
            JSON,
            withCompletion("a\\u0007b"),
            422,
            null,
            "/completion"),
        refused(
            "id too long",
            EVENTS,
            JSON,
            GOOD.replace("{", "{'id':'" + "i".repeat(129) + "',"),
            422,
            null,
            "/id"),
        refused(
            "bad line among good ones",
            BATCH,
            NDJSON,
            GOOD + "\n" + GOOD + "\n" + GOOD.replace("'acme'", "'-x'"),
            422,
            3,
            "/tenant"),
        refused("blank lines only", BATCH, NDJSON, "\n \r\n\n", 422, null, null),
        refused(
            "OpenAI chat without final assistant",
            IMPORT,
            NDJSON,
            "{'messages':[{'role':'system','content':'s'},{'role':'user','content':'u'}]}",
            422,
            1,
            "/messages/1/role"),
        refused(
            "OpenAI tool call with arguments that are not JSON",
            IMPORT,
            NDJSON,
            "{'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':"
                + "[{'id':'c','type':'function','function':{'name':'f','arguments':'{x'}}]}]}",
            422,
            1,
            "/messages/1/tool_calls/0/function/arguments"),
        refused(
            "OpenAI preference with two answers",
            IMPORT,
            NDJSON,
            "{'input':{'messages':[{'role':'user','content':'u'}]},"
                + "'preferred_output':[{'role':'assistant','content':'a'},{'role':'assistant','content':'b'}],"
                + "'non_preferred_output':[{'role':'assistant','content':'c'}]}",
            422,
            1,
            "/preferred_output"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedRequests")
  void shouldRefuseWithStatusAndPointer(
      String name,
      String path,
      String contentType,
      byte[] body,
      int status,
      Integer line,
      String pointer) {
    IngestHttp.Response response = http.post(path, contentType, body, null);

    assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("type").asText()).startsWith("urn:sluice:problem:");
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).isNotBlank();
    if (pointer != null) {
      assertThat(problem.get("errors"))
          .anySatisfy(
              error -> {
                assertThat(error.get("pointer").asText()).isEqualTo(pointer);
                assertThat(error.get("message").asText()).isNotBlank();
                if (line != null) {
                  assertThat(error.get("line").asInt()).isEqualTo(line);
                }
              });
    }
  }

  @Test
  void shouldAnswer400WhenClientBreaksOffTheBody() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      String response =
          raw.send(RawHttp.headers("POST", EVENTS, "Content-Type: " + JSON, "Content-Length: 100"))
              .send("{\"type\":")
              .endOfInput()
              .response();

      assertThat(response).startsWith("HTTP/1.1 400").contains("urn:sluice:problem:bad-request");
    }
  }

  @Test
  void shouldAnswer400ForBrokenChunkFraming() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      String response =
          raw.send(
                  RawHttp.headers(
                      "POST", BATCH, "Content-Type: " + NDJSON, "Transfer-Encoding: chunked"))
              .send("zz\r\nabc\r\n")
              .endOfInput()
              .response();

      assertThat(response).startsWith("HTTP/1.1 400").contains("urn:sluice:problem:bad-request");
    }
  }

  private static Arguments refused(
      String name,
      String path,
      String contentType,
      String body,
      int status,
      Integer line,
      String pointer) {
    return refusedBytes(
        name,
        path,
        contentType,
        body.replace('\'', '"').getBytes(StandardCharsets.UTF_8),
        status,
        line,
        pointer);
  }

  private static Arguments refusedBytes(
      String name,
      String path,
      String contentType,
      byte[] body,
      int status,
      Integer line,
      String pointer) {
    return Arguments.of(name, path, contentType, body, status, line, pointer);
  }

  private static byte[] invalidUtf8() {
    byte[] good = GOOD.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    byte[] bad = HexFormat.of().parseHex("c0af");
    byte[] body = new byte[good.length + bad.length];
    int at = GOOD.indexOf("Hi!");
    System.arraycopy(good, 0, body, 0, at);
    System.arraycopy(bad, 0, body, at, bad.length);
    System.arraycopy(good, at, body, at + bad.length, good.length - at);
    return body;
  }

  private static String withCompletion(String completion) {
    return GOOD.replace("'Hi!'", "'" + completion + "'");
  }

  private static String feedback(String rating) {
    return "{'type':'feedback','tenant':'acme','track':'bot','prompt':'p','response':'r','rating':"
        + rating
        + "}";
  }
}
