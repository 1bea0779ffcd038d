package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests Jetty refuses on its own still get a problem+json client error, never HTML or a 500. */
class JettyErrorProblemTest {

  private static IngestServer server;

  @BeforeAll
  static void start() {
    server = IngestServer.start(TestConfigs.ingest("127.0.0.1:1", Map.of()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
        "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        "GET /v1/%ZZ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
      })
  void shouldAnswerMalformedRequestWithProblemJson(String request) throws Exception {
    String response;
    try (RawHttp http = new RawHttp(server.port())) {
      response = http.send(request).response();
    }

    assertThat(response).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
    assertThat(response).containsIgnoringCase("content-type: application/problem+json");
    assertThat(response)
        .contains("\"type\":\"urn:sluice:problem:bad-request\"")
        .doesNotContain("<html");
  }
}
