package io.sluice.ingest;

import io.sluice.config.CommonKeys;
import io.sluice.config.CrossKeyRule;
import io.sluice.config.InstanceId;
import io.sluice.config.Settings;
import io.sluice.schemas.event.EventLimitSettings;
import io.sluice.schemas.event.EventLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the ingest service, read once at start-up. Every key is documented in
 * docs/configuration.md under "ingest".
 *
 * @param bootstrapServers Kafka brokers to write to
 * @param host interface the HTTP server binds
 * @param port HTTP port; 0 picks a free one
 * @param maxEventBytes largest single event (request body or batch line)
 * @param maxBatchBytes largest batch or import body
 * @param maxBatchLines most events in one batch or import
 * @param maxInflightBytes most request bytes held by all requests in progress together
 * @param maxJsonDepth deepest nesting of JSON arrays and objects
 * @param eventLimits field size limits of one event
 * @param apiKeys API keys and the tenants each may write; empty runs the service open
 * @param transactionalIdPrefix prefix of the producer's transactional.id
 * @param instanceId this instance's part of the transactional.id, unique per running instance
 * @param produceTimeout longest a write may wait for the broker before the request gets a 503
 * @param lingerMs how long the producer waits to fill a batch
 * @param retryAfterSeconds Retry-After sent with a 503
 * @param readinessTimeout longest /readyz waits for the broker
 * @param slowClients what clients that send slowly or not at all may hold
 * @param kafkaClientProperties pass-through client properties ({@code kafka.*})
 */
public record IngestConfig(
    String bootstrapServers,
    String host,
    int port,
    int maxEventBytes,
    int maxBatchBytes,
    int maxBatchLines,
    long maxInflightBytes,
    int maxJsonDepth,
    EventLimits eventLimits,
    ApiKeys apiKeys,
    String transactionalIdPrefix,
    Optional<String> instanceId,
    Duration produceTimeout,
    int lingerMs,
    int retryAfterSeconds,
    Duration readinessTimeout,
    SlowClientLimits slowClients,
    Map<String, String> kafkaClientProperties) {

  /** Environment scope: variables {@code SLUICE_INGEST_*} must name a key below. */
  public static final String ENV_SCOPE = "ingest";

  public static final String BOOTSTRAP_SERVERS_CONFIG = "ingest.bootstrap.servers";
  public static final String HOST_CONFIG = "ingest.host";
  public static final String PORT_CONFIG = "ingest.port";
  public static final String MAX_EVENT_BYTES_CONFIG = "ingest.max.event.bytes";

  /**
   * Half the topics' record limit: anonymization can lengthen text and the curator's records wrap a
   * whole event, so the records derived from an event must still fit in {@code max.message.bytes}.
   */
  static final int MAX_EVENT_BYTES_CEILING = io.sluice.schemas.Topics.MAX_RECORD_BYTES / 2;

  public static final String MAX_BATCH_BYTES_CONFIG = "ingest.max.batch.bytes";
  public static final String MAX_BATCH_LINES_CONFIG = "ingest.max.batch.lines";
  public static final String MAX_INFLIGHT_BYTES_CONFIG = "ingest.max.inflight.bytes";
  public static final String MAX_JSON_DEPTH_CONFIG = "ingest.max.json.depth";

  private static final EventLimitSettings LIMITS = new EventLimitSettings("ingest.");

  public static final String API_KEYS_CONFIG = "ingest.api.keys";
  public static final String TRANSACTIONAL_ID_PREFIX_CONFIG = "ingest.transactional.id.prefix";
  public static final String INSTANCE_ID_CONFIG = "ingest.instance.id";
  public static final String PRODUCE_TIMEOUT_MS_CONFIG = "ingest.produce.timeout.ms";
  public static final String LINGER_MS_CONFIG = "ingest.linger.ms";
  public static final String RETRY_AFTER_SECONDS_CONFIG = "ingest.retry.after.seconds";
  public static final String READINESS_TIMEOUT_MS_CONFIG = "ingest.readiness.timeout.ms";

  public static final String PREFETCH_BYTES_CONFIG = "ingest.prefetch.bytes";
  public static final String IDLE_TIMEOUT_MS_CONFIG = "ingest.idle.timeout.ms";
  public static final String MIN_REQUEST_BYTES_PER_SECOND_CONFIG =
      "ingest.min.request.bytes.per.second";
  private static final int MIB = 1024 * 1024;

  public static final ConfigDef CONFIG_DEF =
      LIMITS
          .define(new ConfigDef(), "")
          .define(
              CommonKeys.bootstrapServers(
                  BOOTSTRAP_SERVERS_CONFIG,
                  ConfigDef.NO_DEFAULT_VALUE,
                  "Kafka brokers to write to, `host:port[,host:port...]`."))
          .define(CommonKeys.host(HOST_CONFIG, "Network interface the HTTP server binds."))
          .define(
              CommonKeys.port(
                  PORT_CONFIG, 8080, "HTTP port; `0` picks a free port (the log says which)."))
          .define(
              MAX_EVENT_BYTES_CONFIG,
              Type.INT,
              MIB,
              Range.between(1024, MAX_EVENT_BYTES_CEILING),
              Importance.MEDIUM,
              "Largest single event: the body of `POST /v1/events`, or one line of a batch or"
                  + " import. Larger gets 413. At most half the data topics' `max.message.bytes`"
                  + " (4 MiB), and at most `ingest.max.batch.bytes`.")
          .define(
              MAX_BATCH_BYTES_CONFIG,
              Type.INT,
              32 * MIB,
              Range.between(1024, 1024 * MIB),
              Importance.MEDIUM,
              "Largest body of `POST /v1/events/batch` and `POST /v1/import/openai`. Larger gets"
                  + " 413, detected from `Content-Length` or while reading, never buffered beyond"
                  + " the limit.")
          .define(
              MAX_BATCH_LINES_CONFIG,
              Type.INT,
              10_000,
              Range.between(1, 1_000_000),
              Importance.MEDIUM,
              "Most events (non-blank lines) in one batch or import; more gets 413. Also the most"
                  + " events the writer puts in one transaction, and the most ids in a 202 answer.")
          .define(
              MAX_INFLIGHT_BYTES_CONFIG,
              Type.LONG,
              128L * MIB,
              Range.between(1024L, 1L << 40),
              Importance.MEDIUM,
              "Most request bytes all requests in progress hold together (bodies being read,"
                  + " validated or written). A request reserves its `Content-Length` (a chunked"
                  + " body: its endpoint's limit) before its body is read; one that does not fit"
                  + " gets 503 `overloaded` with `Retry-After` and nothing is written. Heap use is"
                  + " a small multiple of it (body, parsed events, encoded records): give the JVM"
                  + " at least 4× this. At least `ingest.max.batch.bytes`.")
          .define(
              MAX_JSON_DEPTH_CONFIG,
              Type.INT,
              32,
              Range.between(4, 1000),
              Importance.LOW,
              "Deepest nesting of JSON arrays and objects in one event; deeper gets 400.")
          .define(
              API_KEYS_CONFIG,
              Type.PASSWORD,
              "",
              Importance.HIGH,
              "API keys and the tenants each may write: `KEY=tenant[|tenant...]` or `KEY=*`,"
                  + " comma-separated; keys are at least 16 printable ASCII characters without"
                  + " spaces. Clients send `Authorization: Bearer KEY`. Empty runs the service"
                  + " **open** (it logs a warning at start). Errors name the entry by position,"
                  + " never the key.")
          .define(
              TRANSACTIONAL_ID_PREFIX_CONFIG,
              Type.STRING,
              "sluice-ingest",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Prefix of the producer's `transactional.id`; the instance id is appended.")
          .define(
              INSTANCE_ID_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "This instance's part of the `transactional.id`: unique among running instances,"
                  + " stable across restarts of one instance (e.g. the pod name), so a restarted"
                  + " instance fences its predecessor and aborts what it left open. Empty uses"
                  + " `<hostname>-<port>`.")
          .define(
              PRODUCE_TIMEOUT_MS_CONFIG,
              Type.INT,
              15_000,
              Range.between(2_000, 300_000),
              Importance.MEDIUM,
              "Longest a write waits for the broker (metadata, send, commit) before the request"
                  + " gets 503 and its transaction is aborted. Sets the producer's `max.block.ms`"
                  + " and `delivery.timeout.ms`, and `request.timeout.ms` to about half of it.")
          .define(
              LINGER_MS_CONFIG,
              Type.INT,
              5,
              Range.between(0, 1_000),
              Importance.LOW,
              "Producer `linger.ms`.")
          .define(
              RETRY_AFTER_SECONDS_CONFIG,
              Type.INT,
              5,
              Range.between(1, 3_600),
              Importance.LOW,
              "`Retry-After` sent with a 503 (broker unavailable or overloaded).")
          .define(
              READINESS_TIMEOUT_MS_CONFIG,
              Type.INT,
              2_000,
              Range.between(100, 60_000),
              Importance.LOW,
              "Longest `GET /readyz` waits for the broker.")
          .define(
              PREFETCH_BYTES_CONFIG,
              Type.INT,
              64 * 1024,
              Range.between(0, 16 * MIB),
              Importance.LOW,
              "A body up to this size is received in full before a request thread takes it up,"
                  + " so clients that send slowly or stall hold no thread; a larger body is read"
                  + " as it arrives once this much of it is in. Bodies still arriving hold at most"
                  + " open connections × this in memory. `0` reads every body on a request"
                  + " thread.")
          .define(
              IDLE_TIMEOUT_MS_CONFIG,
              Type.INT,
              30_000,
              Range.between(1_000, 600_000),
              Importance.LOW,
              "A connection, or a request still being received, that sends nothing for this long"
                  + " is closed (nothing of a half-received request is written).")
          .define(
              MIN_REQUEST_BYTES_PER_SECOND_CONFIG,
              Type.INT,
              1024,
              Range.between(0, 1024 * MIB),
              Importance.LOW,
              "Slowest average rate, from its first byte, at which a body may arrive; slower gets"
                  + " 408 and the connection is closed, so a trickling client cannot keep a"
                  + " thread or a connection. `0` turns the check off.");

  public IngestConfig {
    kafkaClientProperties = Map.copyOf(kafkaClientProperties);
    CrossKeyRule.require(
        maxEventBytes <= maxBatchBytes,
        MAX_EVENT_BYTES_CONFIG,
        maxEventBytes,
        "not exceed",
        MAX_BATCH_BYTES_CONFIG,
        maxBatchBytes,
        "");
    CrossKeyRule.require(
        maxInflightBytes >= maxBatchBytes,
        MAX_INFLIGHT_BYTES_CONFIG,
        maxInflightBytes,
        "be at least",
        MAX_BATCH_BYTES_CONFIG,
        maxBatchBytes,
        ", or a full-size batch could never be accepted");
  }

  /**
   * Most bytes of an oversize body read and discarded before its 413 is sent: twice the batch limit
   * (64 MiB by default). Clients such as Python's urllib and requests write the whole body before
   * reading the answer; if the server closed the connection first, they would report a broken pipe
   * instead of the 413. Draining, as nginx's lingering close does, lets them read it; a body larger
   * than this bound is cut off (the client sees the reset then).
   */
  public long oversizeDiscardBytes() {
    return 2L * maxBatchBytes;
  }

  /** Loads and validates the settings; errors name the offending key. */
  public static IngestConfig load(
      Optional<java.nio.file.Path> file,
      Map<String, String> environment,
      Map<String, String> overrides) {
    return from(Settings.load(CONFIG_DEF, ENV_SCOPE, file, environment, overrides));
  }

  /** Converts validated settings into the record. */
  public static IngestConfig from(Settings settings) {
    Map<String, Object> v = settings.values();
    return new IngestConfig(
        (String) v.get(BOOTSTRAP_SERVERS_CONFIG),
        (String) v.get(HOST_CONFIG),
        (Integer) v.get(PORT_CONFIG),
        (Integer) v.get(MAX_EVENT_BYTES_CONFIG),
        (Integer) v.get(MAX_BATCH_BYTES_CONFIG),
        (Integer) v.get(MAX_BATCH_LINES_CONFIG),
        (Long) v.get(MAX_INFLIGHT_BYTES_CONFIG),
        (Integer) v.get(MAX_JSON_DEPTH_CONFIG),
        LIMITS.read(v),
        ApiKeys.parse(API_KEYS_CONFIG, ((Password) v.get(API_KEYS_CONFIG)).value()),
        (String) v.get(TRANSACTIONAL_ID_PREFIX_CONFIG),
        InstanceId.of(v.get(INSTANCE_ID_CONFIG)),
        Duration.ofMillis((Integer) v.get(PRODUCE_TIMEOUT_MS_CONFIG)),
        (Integer) v.get(LINGER_MS_CONFIG),
        (Integer) v.get(RETRY_AFTER_SECONDS_CONFIG),
        Duration.ofMillis((Integer) v.get(READINESS_TIMEOUT_MS_CONFIG)),
        new SlowClientLimits(
            (Integer) v.get(PREFETCH_BYTES_CONFIG),
            Duration.ofMillis((Integer) v.get(IDLE_TIMEOUT_MS_CONFIG)),
            (Integer) v.get(MIN_REQUEST_BYTES_PER_SECOND_CONFIG)),
        settings.kafkaClientProperties());
  }
}
