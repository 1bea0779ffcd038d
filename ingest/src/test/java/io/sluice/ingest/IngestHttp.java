package io.sluice.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for tests against a running {@link IngestServer}. */
final class IngestHttp {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  IngestHttp(int port) {
    this.base = "http://localhost:" + port;
  }

  record Response(int status, String contentType, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return MAPPER.readTree(raw.body());
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + raw.body(), e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Response post(String path, String contentType, String body) {
    return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), null);
  }

  Response post(String path, String contentType, byte[] body, String apiKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return send(request.build());
  }

  Response get(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build());
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response);
    } catch (Exception e) {
      throw new AssertionError("request failed: " + request, e);
    }
  }
}
