package io.sluice.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code sluice bench ingest}: events per second through POST /v1/events/batch against events per
 * second of a plain idempotent producer (acks=all) writing the same events to the same broker in
 * the same run. The ratio is the figure to watch; absolute numbers depend on the machine.
 */
public final class IngestBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IngestBenchmark() {}

  /**
   * @param httpEventsPerSecond through the batch endpoint, parse and validation included
   * @param producerEventsPerSecond through a direct producer, records built beforehand
   */
  public record Result(int events, double httpEventsPerSecond, double producerEventsPerSecond) {
    public double ratio() {
      return httpEventsPerSecond / producerEventsPerSecond;
    }
  }

  /**
   * Runs both measurements once each, after one warm-up batch each.
   *
   * @param events events per measurement
   * @param batchLines events per HTTP request
   * @param clients concurrent HTTP clients
   */
  public static Result run(String bootstrapServers, int events, int batchLines, int clients)
      throws Exception {
    List<String> lines = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      lines.add(event(i));
    }
    double http = throughHttp(bootstrapServers, lines, batchLines, clients);
    double producer = throughProducer(bootstrapServers, lines);
    return new Result(events, http, producer);
  }

  private static String event(int i) {
    ObjectNode event = MAPPER.createObjectNode();
    event.put("type", "example");
    event.put("id", "bench-" + i);
    event.put("tenant", "bench");
    event.put("track", "track-" + (i % 8));
    event.put("prompt", "Summarize ticket " + i + ": the customer cannot reset the password on the app.");
    event.put("completion", "The customer needs a password reset link; send it and confirm by email.");
    event.putObject("metadata").put("source", "bench");
    return event.toString();
  }

  private static double throughHttp(String bootstrapServers, List<String> lines, int batchLines, int clients)
      throws Exception {
    Map<String, String> overrides = new HashMap<>();
    overrides.put(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    overrides.put(IngestConfig.PORT_CONFIG, "0");
    overrides.put(IngestConfig.HOST_CONFIG, "127.0.0.1");
    overrides.put(IngestConfig.INSTANCE_ID_CONFIG, "bench");
    IngestConfig config = IngestConfig.load(Optional.empty(), Map.of(), overrides);
    List<byte[]> bodies = new ArrayList<>();
    for (int start = 0; start < lines.size(); start += batchLines) {
      String body = String.join("\n", lines.subList(start, Math.min(lines.size(), start + batchLines)));
      bodies.add(body.getBytes(StandardCharsets.UTF_8));
    }
    HttpClient client = HttpClient.newHttpClient();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (IngestServer server = IngestServer.start(config)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/events/batch");
      post(client, uri, bodies.get(0)); // warm-up: producer init, JIT
      long start = System.nanoTime();
      List<Future<?>> sends = new ArrayList<>();
      for (byte[] body : bodies) {
        sends.add(pool.submit(() -> post(client, uri, body)));
      }
      for (Future<?> send : sends) {
        send.get();
      }
      return lines.size() / seconds(start);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void post(HttpClient client, URI uri, byte[] body) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("batch refused: " + response.statusCode() + " " + response.body());
    }
    return null;
  }

  private static double throughProducer(String bootstrapServers, List<String> lines) throws Exception {
    List<RawEvent> events = new ArrayList<>(lines.size());
    ServerDefaults defaults = ServerDefaults.system();
    for (String line : lines) {
      events.add(((ParseResult.Valid) NativeEvents.parse(MAPPER.readTree(line), defaults, EventLimits.DEFAULT)).event());
    }
    Map<String, Object> properties = new HashMap<>();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<String, RawEvent> producer =
        new KafkaProducer<>(properties, new StringSerializer(), Topics.EVENTS_RAW.valueSerde().serializer())) {
      producer.send(record(events.get(0))).get(); // warm-up: metadata, connection, JIT
      long start = System.nanoTime();
      for (RawEvent event : events) {
        producer.send(record(event));
      }
      producer.flush();
      return events.size() / seconds(start);
    }
  }

  private static ProducerRecord<String, RawEvent> record(RawEvent event) {
    return new ProducerRecord<>(
        Topics.EVENTS_RAW.name(), Topics.trackKey(event.getTenant(), event.getTrack()), event);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
