package io.sluice.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Client side of {@code sluice send}: POSTs a native JSONL file to an ingest service in batches, in
 * file order, and stops at the first refused batch (later batches would likely fail the same way,
 * and sending them would break the file's order). Line numbers in the server's findings are
 * translated into line numbers of the file.
 */
public final class BatchSender {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client;
  private final URI batchUri;
  private final Optional<String> apiKey;
  private final int linesPerBatch;
  private final int maxBatchBytes;
  private final Duration requestTimeout;

  /**
   * @param baseUrl the service, e.g. http://localhost:8080
   * @param linesPerBatch most lines per request (the server allows ingest.max.batch.lines)
   * @param maxBatchBytes most bytes per request (the server allows ingest.max.batch.bytes)
   */
  public BatchSender(
      URI baseUrl, Optional<String> apiKey, int linesPerBatch, int maxBatchBytes, Duration requestTimeout) {
    if (linesPerBatch < 1 || maxBatchBytes < 1) {
      throw new IllegalArgumentException("linesPerBatch and maxBatchBytes must be at least 1");
    }
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.batchUri = baseUrl.resolve("/v1/events/batch");
    this.apiKey = apiKey;
    this.linesPerBatch = linesPerBatch;
    this.maxBatchBytes = maxBatchBytes;
    this.requestTimeout = requestTimeout;
  }

  /** A batch the server refused. */
  public record Failure(int firstLine, int lastLine, int status, String problem, List<String> findings) {}

  /**
   * @param batches batches accepted
   * @param events events the server confirmed written
   * @param failure the refused batch, if any; nothing of it or after it was written
   */
  public record Result(int batches, long events, Optional<Failure> failure) {}

  /** Sends the file; {@code progress} gets the bytes of each accepted batch. */
  public Result send(Path file, LongConsumer progress) throws IOException, InterruptedException {
    int batches = 0;
    long events = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      ByteArrayOutputStream batch = new ByteArrayOutputStream();
      int lines = 0;
      int firstLine = 1;
      int lineNumber = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (lines > 0 && (lines == linesPerBatch || batch.size() + bytes.length > maxBatchBytes)) {
          Outcome outcome = post(batch.toByteArray(), firstLine, lineNumber - 1);
          if (outcome.failure != null) {
            return new Result(batches, events, Optional.of(outcome.failure));
          }
          batches++;
          events += outcome.count;
          progress.accept(batch.size());
          batch.reset();
          lines = 0;
          firstLine = lineNumber;
        }
        batch.write(bytes);
        lines++;
      }
      if (lines > 0) {
        Outcome outcome = post(batch.toByteArray(), firstLine, lineNumber);
        if (outcome.failure != null) {
          return new Result(batches, events, Optional.of(outcome.failure));
        }
        batches++;
        events += outcome.count;
        progress.accept(batch.size());
      }
    }
    return new Result(batches, events, Optional.empty());
  }

  private record Outcome(long count, Failure failure) {}

  private Outcome post(byte[] body, int firstLine, int lastLine) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(batchUri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = readJson(response.body());
    if (response.statusCode() == 202) {
      return new Outcome(json.path("count").asLong(), null);
    }
    List<String> findings = new ArrayList<>();
    for (JsonNode error : json.path("errors")) {
      String where =
          error.has("line") ? "line " + (firstLine + error.get("line").asInt() - 1) + " " : "";
      findings.add(where + error.path("pointer").asText("") + ": " + error.path("message").asText(""));
    }
    String problem =
        json.has("title")
            ? json.path("title").asText() + ": " + json.path("detail").asText()
            : response.body();
    return new Outcome(0, new Failure(firstLine, lastLine, response.statusCode(), problem, findings));
  }

  private static JsonNode readJson(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }
}
