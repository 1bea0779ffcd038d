package io.sluice.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.schemas.Topics;
import io.sluice.schemas.event.ServerDefaults;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running ingest service: HTTP server, event writer, readiness probe and metrics. {@link
 * #start} returns once the port is bound; {@link #close} stops accepting requests, then answers or
 * fails what is queued, then closes the producer.
 */
public final class IngestServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);

  private final Javalin app;
  private final EventWriter writer;
  private final Admin admin;
  private final String transactionalId;

  private IngestServer(Javalin app, EventWriter writer, Admin admin, String transactionalId) {
    this.app = app;
    this.writer = writer;
    this.admin = admin;
    this.transactionalId = transactionalId;
  }

  /** Starts with system time and random UUIDs for absent timestamps and ids. */
  public static IngestServer start(IngestConfig config) {
    return start(config, ServerDefaults.system());
  }

  /** Starts the service; {@code defaults} fills absent ids and timestamps. */
  public static IngestServer start(IngestConfig config, ServerDefaults defaults) {
    return start(config, defaults, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Starts the service with system time and random UUIDs for absent timestamps and ids, and its
   * meters in {@code registry}, which GET /metrics serves; the quickstart passes the registry it
   * shares with the other services.
   */
  public static IngestServer start(IngestConfig config, PrometheusMeterRegistry registry) {
    return start(config, ServerDefaults.system(), registry);
  }

  private static IngestServer start(
      IngestConfig config, ServerDefaults defaults, PrometheusMeterRegistry registry) {
    IngestMetrics metrics = new IngestMetrics(registry);
    ObjectMapper mapper = new ObjectMapper();
    ProblemWriter problems = new ProblemWriter(mapper);
    Admin admin = Admin.create(adminProperties(config));
    WriterHolder writer = new WriterHolder(problems, config.retryAfterSeconds());
    InflightBytes inflight = new InflightBytes(config.maxInflightBytes());
    metrics.inflight(inflight);

    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.jsonMapper(new JavalinJackson(mapper, false));
              // A backstop only: the endpoints read bodies themselves, with per-endpoint limits.
              javalin.http.maxRequestSize = config.maxBatchBytes();
              javalin.jetty.host = config.host();
              javalin.jetty.port = config.port();
              // Jetty answers some malformed requests itself (bad Content-Length, undecodable
              // path): give those the same problem+json form as every other error.
              javalin.jetty.modifyServer(
                  server -> {
                    server.setErrorHandler(new ProblemErrorHandler(mapper));
                    prefetchBodies(server, config.slowClients(), metrics);
                  });
              javalin.jetty.modifyHttpConfiguration(
                  http -> limitSlowClients(http, config.slowClients()));
              javalin.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) -> problems.write(ctx, frameworkProblem(e)));
              javalin.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "alive")));
              javalin.routes.get(
                  "/readyz",
                  ctx -> {
                    if (brokerReachable(admin, config)) {
                      ctx.json(Map.of("status", "ready"));
                    } else {
                      problems.write(
                          ctx,
                          Problem.brokerUnavailable(
                              "the Kafka broker at "
                                  + config.bootstrapServers()
                                  + " is not reachable",
                              config.retryAfterSeconds()));
                    }
                  });
              javalin.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(registry.scrape()));
              javalin.routes.post(
                  "/v1/events", ctx -> writer.handle(ctx, "events", IngestApi::postEvent));
              javalin.routes.post(
                  "/v1/events/batch",
                  ctx -> writer.handle(ctx, "events_batch", IngestApi::postBatch));
              javalin.routes.post(
                  "/v1/import/openai",
                  ctx -> writer.handle(ctx, "import_openai", IngestApi::importOpenAi));
            });
    try {
      app.start();
    } catch (RuntimeException e) {
      admin.close();
      throw e;
    }
    // The transactional.id includes the bound port, known only now, so the writer starts second.
    String transactionalId = config.transactionalIdPrefix() + "-" + instanceId(config, app.port());
    EventWriter eventWriter = EventWriter.create(config, transactionalId, registry);
    writer.api = new IngestApi(config, defaults, eventWriter, metrics, problems, inflight);

    LOG.info(
        "ingest listening on http://{}:{}, writing to {} at {} (transactional.id {})",
        config.host(),
        app.port(),
        Topics.EVENTS_RAW.name(),
        config.bootstrapServers(),
        transactionalId);
    if (config.apiKeys().isOpen()) {
      LOG.warn(
          "no API keys configured ({}): ingest is OPEN, any client may write any tenant",
          IngestConfig.API_KEYS_CONFIG);
    } else {
      LOG.info(
          "{} API keys configured; requests need 'Authorization: Bearer KEY'",
          config.apiKeys().size());
    }
    return new IngestServer(app, eventWriter, admin, transactionalId);
  }

  /** An endpoint of {@link IngestApi}. */
  @FunctionalInterface
  private interface Endpoint {
    void handle(IngestApi api, io.javalin.http.Context ctx) throws Exception;
  }

  /**
   * The API, set once the writer exists: routes are registered before the port is bound, and the
   * writer's transactional.id needs the port.
   */
  private static final class WriterHolder {
    private final ProblemWriter problems;
    private final int retryAfterSeconds;
    volatile IngestApi api;

    WriterHolder(ProblemWriter problems, int retryAfterSeconds) {
      this.problems = problems;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    void handle(io.javalin.http.Context ctx, String name, Endpoint endpoint) throws Exception {
      IngestApi current = api;
      if (current == null) {
        problems.write(ctx, Problem.brokerUnavailable("ingest is starting", retryAfterSeconds));
        return;
      }
      current.endpoint(name, c -> endpoint.handle(current, c)).handle(ctx);
    }
  }

  /** The bound HTTP port (the real one when configured as 0). */
  public int port() {
    return app.port();
  }

  /** The producer's transactional.id. */
  public String transactionalId() {
    return transactionalId;
  }

  /** Javalin mounts its own handler inside this one, so every body is prefetched first. */
  private static void prefetchBodies(
      Server server, SlowClientLimits limits, IngestMetrics metrics) {
    if (limits.prefetchBytes() > 0) {
      server.setHandler(BodyPrefetch.handler(limits, metrics));
    }
  }

  private static void limitSlowClients(HttpConfiguration http, SlowClientLimits limits) {
    http.setIdleTimeout(limits.idleTimeout().toMillis());
    http.setMinRequestDataRate(limits.minRequestBytesPerSecond());
  }

  /** The problem for an error status the framework or Jetty produced, before any endpoint ran. */
  static Problem statusProblem(int status, String detail) {
    return status >= 400 && status < 500
        ? Problem.clientError(status, detail)
        : Problem.of(Problem.Kind.INTERNAL_ERROR, detail);
  }

  private static Problem frameworkProblem(HttpResponseException e) {
    Problem.Kind kind =
        switch (e.getStatus()) {
          case 404 -> Problem.Kind.NOT_FOUND;
          case 405 -> Problem.Kind.METHOD_NOT_ALLOWED;
          case 413 -> Problem.Kind.PAYLOAD_TOO_LARGE;
          default -> null;
        };
    if (kind != null) {
      return Problem.of(kind, e.getMessage());
    }
    return statusProblem(e.getStatus(), e.getMessage());
  }

  private static boolean brokerReachable(Admin admin, IngestConfig config) {
    int timeoutMs = (int) config.readinessTimeout().toMillis();
    try {
      return !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
          .nodes()
          .get(timeoutMs, TimeUnit.MILLISECONDS)
          .isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.debug("readiness check failed", e);
      return false;
    }
  }

  private static Map<String, Object> adminProperties(IngestConfig config) {
    Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    properties.putIfAbsent(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) config.readinessTimeout().toMillis());
    properties.putIfAbsent(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.readinessTimeout().toMillis());
    return properties;
  }

  private static String instanceId(IngestConfig config, int port) {
    if (config.instanceId().isPresent()) {
      return config.instanceId().get();
    }
    try {
      return InetAddress.getLocalHost().getHostName() + "-" + port;
    } catch (UnknownHostException e) {
      return "localhost-" + port;
    }
  }

  @Override
  public void close() {
    app.stop();
    writer.close();
    admin.close();
  }
}
