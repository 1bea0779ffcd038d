package io.sluice.bench.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code sluice bench ingest}: events per second through POST /v1/events/batch against events per
 * second of a plain idempotent producer (acks=all, default batching) writing the same events to the
 * same broker in the same run. The two alternate round by round; the ratio reported is the median
 * of the rounds' ratios, since two back-to-back rounds share the machine's load while rounds far
 * apart may not. Throughputs are the best round of each. The ratio is the figure to watch; absolute
 * numbers depend on the machine.
 */
public final class IngestBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IngestBenchmark() {}

  /**
   * @param events events per round of each measurement
   * @param httpEventsPerSecond best round through the batch endpoint, parse and validation included
   * @param producerEventsPerSecond best round through a direct producer, records built beforehand
   * @param roundRatios each round's batch-endpoint rate over the direct producer's
   */
  public record Result(
      int events,
      double httpEventsPerSecond,
      double producerEventsPerSecond,
      List<Double> roundRatios) {
    public Result {
      roundRatios = List.copyOf(roundRatios);
    }

    /** Median of the rounds' ratios. */
    public double ratio() {
      List<Double> sorted = roundRatios.stream().sorted().toList();
      int middle = sorted.size() / 2;
      return sorted.size() % 2 == 1
          ? sorted.get(middle)
          : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
  }

  /**
   * @param events events per round
   * @param batchLines events per HTTP request
   * @param clients concurrent HTTP clients
   * @param rounds rounds of each measurement
   */
  public static Result run(
      String bootstrapServers, int events, int batchLines, int clients, int rounds)
      throws Exception {
    List<String> lines = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      lines.add(event(i));
    }
    List<byte[]> bodies = new ArrayList<>();
    for (int start = 0; start < lines.size(); start += batchLines) {
      String body =
          String.join("\n", lines.subList(start, Math.min(lines.size(), start + batchLines)));
      bodies.add(body.getBytes(StandardCharsets.UTF_8));
    }
    List<RawEvent> records = parsed(lines);
    double http = 0;
    double producer = 0;
    List<Double> ratios = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (IngestServer server = IngestServer.start(config(bootstrapServers));
        Producer<String, RawEvent> direct = directProducer(bootstrapServers)) {
      // Each body is one ready-made batch: the sender's line and byte limits are for files.
      BatchSender client =
          new BatchSender(
              URI.create("http://127.0.0.1:" + server.port()),
              Optional.empty(),
              Integer.MAX_VALUE,
              Integer.MAX_VALUE,
              Duration.ofMinutes(2),
              0);
      // Warm-up: producer and transaction set-up, JIT of both paths.
      throughHttp(client, bodies.subList(0, Math.min(bodies.size(), clients)), pool);
      throughProducer(direct, records.subList(0, Math.min(records.size(), batchLines)));
      for (int round = 0; round < rounds; round++) {
        double roundHttp = throughHttp(client, bodies, pool) * events;
        double roundProducer = throughProducer(direct, records) * events;
        http = Math.max(http, roundHttp);
        producer = Math.max(producer, roundProducer);
        ratios.add(roundHttp / roundProducer);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(events, http, producer, ratios);
  }

  private static IngestConfig config(String bootstrapServers) {
    Map<String, String> overrides = new HashMap<>();
    overrides.put(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    overrides.put(IngestConfig.PORT_CONFIG, "0");
    overrides.put(IngestConfig.HOST_CONFIG, "127.0.0.1");
    overrides.put(IngestConfig.INSTANCE_ID_CONFIG, "bench");
    return IngestConfig.load(Optional.empty(), Map.of(), overrides);
  }

  private static String event(int i) {
    ObjectNode event = MAPPER.createObjectNode();
    event.put("type", "example");
    event.put("id", "bench-" + i);
    event.put("tenant", "bench");
    event.put("track", "track-" + (i % 8));
    event.put(
        "prompt", "Summarize ticket " + i + ": the customer cannot reset the password on the app.");
    event.put(
        "completion", "The customer needs a password reset link; send it and confirm by email.");
    event.putObject("metadata").put("source", "bench");
    return event.toString();
  }

  /** Rounds per second: every body posted by the pool's clients, each answered 202. */
  private static double throughHttp(BatchSender client, List<byte[]> bodies, ExecutorService pool)
      throws Exception {
    long start = System.nanoTime();
    List<Future<Void>> sends = new ArrayList<>();
    for (byte[] body : bodies) {
      sends.add(pool.submit(() -> post(client, body)));
    }
    for (Future<Void> send : sends) {
      send.get();
    }
    return 1 / seconds(start);
  }

  private static Void post(BatchSender client, byte[] body) throws Exception {
    BatchSender.Response response = client.post(body);
    if (response.status() != 202) {
      throw new IllegalStateException(
          "batch refused: " + response.status() + " " + response.body());
    }
    return null;
  }

  private static List<RawEvent> parsed(List<String> lines) throws Exception {
    List<RawEvent> events = new ArrayList<>(lines.size());
    ServerDefaults defaults = ServerDefaults.system();
    for (String line : lines) {
      ParseResult result = NativeEvents.parse(MAPPER.readTree(line), defaults, EventLimits.DEFAULT);
      events.add(((ParseResult.Valid) result).event());
    }
    return events;
  }

  private static Producer<String, RawEvent> directProducer(String bootstrapServers) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(
        properties, new StringSerializer(), Topics.EVENTS_RAW.valueSerde().serializer());
  }

  /** Rounds per second: every record sent and acknowledged. */
  private static double throughProducer(
      Producer<String, RawEvent> producer, List<RawEvent> events) {
    long start = System.nanoTime();
    for (RawEvent event : events) {
      producer.send(
          new ProducerRecord<>(
              Topics.EVENTS_RAW.name(),
              Topics.trackKey(event.getTenant(), event.getTrack()),
              event));
    }
    producer.flush();
    return 1 / seconds(start);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
