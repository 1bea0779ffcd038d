package io.sluice.config;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A service's HTTP endpoint, on Jetty's core (no web framework for three read-only paths):
 *
 * <ul>
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format, for scraping;
 *   <li>{@code GET /healthz}: 200 while the process serves requests (liveness);
 *   <li>{@code GET /readyz}: 200 while {@code ready} says so, else 503 (readiness).
 * </ul>
 *
 * Other paths answer 404, other methods 405. Jetty reads requests without holding a thread until
 * one is complete, so clients that connect and send half a request (or nothing) cannot stall the
 * probes: with the JDK's built-in server, three such connections kept {@code /healthz} from
 * answering, and a kubelet would have restarted a healthy pod. A small pool serves the complete
 * requests; connections silent for {@link #IDLE_TIMEOUT_MS} are closed.
 */
public final class MetricsEndpoint implements AutoCloseable {

  /** A connection that sends nothing for this long is closed. */
  static final long IDLE_TIMEOUT_MS = 30_000;

  /** Threads for the selector, the acceptor and requests: scrapes and probes are rare and cheap. */
  private static final int THREADS = 6;

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Server server;
  private final ServerConnector connector;

  private MetricsEndpoint(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
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
    QueuedThreadPool threads = new QueuedThreadPool(THREADS, 2);
    threads.setName("metrics-http");
    threads.setDaemon(true);
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    server.setHandler(new Paths(registry, ready));
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly(server); // e.g. "Failed to bind to 0.0.0.0/0.0.0.0:9464"
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException(e.getMessage(), e);
    }
    return new MetricsEndpoint(server, connector);
  }

  /** The bound port (the chosen one when started with 0). */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping is best effort: the process is going away or the port was never bound
    }
  }

  /** The three paths; blocking, because a scrape formats the whole registry. */
  private static final class Paths extends Handler.Abstract {
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;

    Paths(PrometheusMeterRegistry registry, BooleanSupplier ready) {
      this.registry = registry;
      this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      boolean known = path.equals("/metrics") || path.equals("/healthz") || path.equals("/readyz");
      if (!known) {
        write(request, response, callback, 404, "not found\n", TEXT);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        write(request, response, callback, 405, "method not allowed\n", TEXT);
      } else if (path.equals("/metrics")) {
        write(request, response, callback, 200, registry.scrape(), PROMETHEUS_TEXT);
      } else if (path.equals("/healthz")) {
        write(request, response, callback, 200, "ok\n", TEXT);
      } else if (ready.getAsBoolean()) {
        write(request, response, callback, 200, "ready\n", TEXT);
      } else {
        write(request, response, callback, 503, "not ready\n", TEXT);
      }
      return true;
    }

    private static void write(
        Request request,
        Response response,
        Callback callback,
        int status,
        String body,
        String contentType) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      boolean head = request.getMethod().equals("HEAD");
      response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
    }
  }
}
