package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compressed bodies are refused as an unsupported content coding, before anything is read. */
class ContentEncodingTest {

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
  @CsvSource({
    "/v1/events, application/json, gzip",
    "/v1/events/batch, application/x-ndjson, br",
    "/v1/import/openai?tenant=acme&track=bot, application/x-ndjson, deflate",
  })
  void shouldRefuseCompressedBody(String path, String contentType, String encoding)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", contentType)
            .header("Content-Encoding", encoding)
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x1f, (byte) 0x8b, 8, 0}))
            .build();

    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(response.body()).contains("Content-Encoding " + encoding);
  }
}
