package io.sluice.config;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A service's HTTP endpoint, on the JDK's built-in server (the services need no web framework for
 * three read-only paths):
 *
 * <ul>
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format, for scraping;
 *   <li>{@code GET /healthz}: 200 while the process serves requests (liveness);
 *   <li>{@code GET /readyz}: 200 while {@code ready} says so, else 503 (readiness).
 * </ul>
 *
 * Other paths answer 404, other methods 405. One thread serves requests: scrapes are rare and
 * cheap, and a slow client cannot take CPU from the service's own threads beyond that one.
 */
public final class MetricsEndpoint implements AutoCloseable {

  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on all interfaces.
   *
   * @param port the port; 0 picks a free one (see {@link #port()})
   * @param ready readiness, asked on every {@code /readyz} request
   * @throws IOException when the port cannot be bound, e.g. because it is in use
   */
  public static MetricsEndpoint start(
      int port, PrometheusMeterRegistry registry, BooleanSupplier ready) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        exchange ->
            respond(
                exchange,
                "/metrics",
                200,
                registry.scrape(),
                "text/plain; version=0.0.4; charset=utf-8"));
    server.createContext("/healthz", exchange -> respond(exchange, "/healthz", 200, "ok\n", TEXT));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean isReady = ready.getAsBoolean();
          respond(
              exchange, "/readyz", isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n", TEXT);
        });
    server.createContext(
        "/",
        exchange ->
            respond(exchange, exchange.getRequestURI().getPath(), 404, "not found\n", TEXT));
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "metrics-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
    return new MetricsEndpoint(server, executor);
  }

  /** The bound port (the chosen one when started with 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void respond(
      HttpExchange exchange, String path, int status, String body, String contentType)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(path)) {
        status = 404; // contexts match by prefix: /metricsfoo must not be /metrics
        body = "not found\n";
        contentType = TEXT;
      } else if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        status = 405;
        body = "method not allowed\n";
        contentType = TEXT;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }
}
