package io.sluice.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's retry rule, against a scripted HTTP server: the real service's 503 behaviour
 * (nothing written) is proven by IngestServerTest and BrokerDownTest; here only the client's
 * reaction.
 */
class BatchSenderRetryTest {

  @TempDir Path dir;
  private HttpServer server;
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldResendTheSameBatchAfter503UntilAccepted() throws Exception {
    URI url = serve(2);

    BatchSender.Result result = sender(url, 3).send(file(), bytes -> {});

    assertThat(result.failure()).isEmpty();
    assertThat(result.events()).isEqualTo(2);
    assertThat(bodies).hasSize(3).containsOnly(bodies.get(0));
  }

  @Test
  void shouldGiveUpAfterTheConfiguredRetries() throws Exception {
    URI url = serve(5);

    BatchSender.Result result = sender(url, 1).send(file(), bytes -> {});

    assertThat(bodies).hasSize(2);
    assertThat(result.failure())
        .hasValueSatisfying(failure -> assertThat(failure.status()).isEqualTo(503));
    assertThat(result.events()).isZero();
  }

  @Test
  void shouldNotRetryRefusedInput() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/v1/events/batch",
        exchange -> {
          calls.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          respond(exchange, 422, "{\"title\":\"Invalid event\",\"detail\":\"bad\",\"errors\":[]}");
        });
    server.start();

    BatchSender.Result result =
        sender(URI.create("http://localhost:" + server.getAddress().getPort()), 5)
            .send(file(), bytes -> {});

    assertThat(calls.get()).isEqualTo(1);
    assertThat(result.failure())
        .hasValueSatisfying(failure -> assertThat(failure.status()).isEqualTo(422));
  }

  /** A server that answers 503 (Retry-After: 0) {@code unavailable} times, then 202. */
  private URI serve(int unavailable) throws IOException {
    AtomicInteger remaining = new AtomicInteger(unavailable);
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/v1/events/batch",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          if (remaining.getAndDecrement() > 0) {
            exchange.getResponseHeaders().add("Retry-After", "0");
            respond(exchange, 503, "{\"title\":\"Broker unavailable\",\"detail\":\"down\"}");
          } else {
            respond(exchange, 202, "{\"count\":2}");
          }
        });
    server.start();
    return URI.create("http://localhost:" + server.getAddress().getPort());
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static BatchSender sender(URI url, int retries) {
    return new BatchSender(url, Optional.empty(), 100, 1 << 20, Duration.ofSeconds(10), retries);
  }

  private Path file() throws IOException {
    return Files.writeString(dir.resolve("e.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
  }
}
