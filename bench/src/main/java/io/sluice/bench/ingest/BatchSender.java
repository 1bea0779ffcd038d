package io.sluice.bench.ingest;

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
 * translated into line numbers of the file. A 503 means the service wrote nothing of the batch
 * (broker unavailable, or overloaded before reading the body), so that batch is sent again after
 * the server's Retry-After, a bounded number of times.
 */
public final class BatchSender {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Longest pause between attempts, whatever Retry-After says. */
  static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);

  private static final Duration DEFAULT_RETRY_PAUSE = Duration.ofSeconds(1);

  private final HttpClient client;
  private final URI batchUri;
  private final Optional<String> apiKey;
  private final int linesPerBatch;
  private final int maxBatchBytes;
  private final Duration requestTimeout;
  private final int maxRetries;

  /**
   * @param baseUrl the service, e.g. http://localhost:8080
   * @param linesPerBatch most lines per request (the server allows ingest.max.batch.lines)
   * @param maxBatchBytes most bytes per request (the server allows ingest.max.batch.bytes)
   * @param maxRetries how often one batch is sent again after a 503
   */
  public BatchSender(
      URI baseUrl,
      Optional<String> apiKey,
      int linesPerBatch,
      int maxBatchBytes,
      Duration requestTimeout,
      int maxRetries) {
    this(
        baseUrl.resolve("/v1/events/batch"),
        linesPerBatch,
        maxBatchBytes,
        apiKey,
        requestTimeout,
        maxRetries);
  }

  /**
   * A sender of OpenAI fine-tuning files to {@code /v1/import/openai} for one tenant and track; the
   * other parameters as for native files.
   */
  public static BatchSender openAiImport(
      URI baseUrl,
      String tenant,
      String track,
      Optional<String> apiKey,
      int linesPerBatch,
      int maxBatchBytes,
      Duration requestTimeout,
      int maxRetries) {
    URI endpoint =
        baseUrl.resolve(
            "/v1/import/openai?tenant="
                + java.net.URLEncoder.encode(tenant, java.nio.charset.StandardCharsets.UTF_8)
                + "&track="
                + java.net.URLEncoder.encode(track, java.nio.charset.StandardCharsets.UTF_8));
    return new BatchSender(
        endpoint, linesPerBatch, maxBatchBytes, apiKey, requestTimeout, maxRetries);
  }

  private BatchSender(
      URI batchUri,
      int linesPerBatch,
      int maxBatchBytes,
      Optional<String> apiKey,
      Duration requestTimeout,
      int maxRetries) {
    if (linesPerBatch < 1 || maxBatchBytes < 1) {
      throw new IllegalArgumentException("linesPerBatch and maxBatchBytes must be at least 1");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be at least 0 but was " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.batchUri = batchUri;
    this.apiKey = apiKey;
    this.linesPerBatch = linesPerBatch;
    this.maxBatchBytes = maxBatchBytes;
    this.requestTimeout = requestTimeout;
  }

  /** A batch the server refused. */
  public record Failure(
      int firstLine, int lastLine, int status, String problem, List<String> findings) {}

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

  /** The server's answer to one batch: its status and body as they came. */
  public record Response(int status, String body) {}

  /**
   * POSTs {@code body} as one batch, as it is (the line and byte limits apply to {@link #send}
   * only), sending it again after a 503 as {@link #send} does.
   */
  public Response post(byte[] body) throws IOException, InterruptedException {
    HttpResponse<String> response = exchange(body);
    return new Response(response.statusCode(), response.body());
  }

  private HttpResponse<String> exchange(byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(batchUri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    for (int retry = 0; response.statusCode() == 503 && retry < maxRetries; retry++) {
      Thread.sleep(retryPause(response).toMillis());
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
    return response;
  }

  private Outcome post(byte[] body, int firstLine, int lastLine)
      throws IOException, InterruptedException {
    HttpResponse<String> response = exchange(body);
    JsonNode json = readJson(response.body());
    if (response.statusCode() == 202) {
      return new Outcome(json.path("count").asLong(), null);
    }
    List<String> findings = new ArrayList<>();
    for (JsonNode error : json.path("errors")) {
      String where =
          error.has("line") ? "line " + (firstLine + error.get("line").asInt() - 1) + " " : "";
      findings.add(
          where + error.path("pointer").asText("") + ": " + error.path("message").asText(""));
    }
    String problem =
        json.has("title")
            ? json.path("title").asText() + ": " + json.path("detail").asText()
            : response.body();
    return new Outcome(
        0, new Failure(firstLine, lastLine, response.statusCode(), problem, findings));
  }

  /**
   * Retry-After in seconds (the form the ingest service sends), capped; 1 s when absent or a date.
   */
  static Duration retryPause(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(value -> value.strip().matches("\\d{1,9}"))
        .map(value -> Duration.ofSeconds(Long.parseLong(value.strip())))
        .map(pause -> pause.compareTo(MAX_RETRY_PAUSE) > 0 ? MAX_RETRY_PAUSE : pause)
        .orElse(DEFAULT_RETRY_PAUSE);
  }

  private static JsonNode readJson(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }
}
