package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.avro.RawEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on request bytes in progress: a request whose declared body would exceed it is answered
 * 503 before its body is read and writes nothing; once the holder is answered, its bytes are free
 * again. A held-open request (headers sent, body withheld) makes this deterministic; prefetching is
 * off, so its body is read on a request thread (SlowClientsTest covers prefetched bodies).
 */
class InflightLimitTest {

  private static final int LIMIT = 4096;

  @TempDir static Path brokerDir;
  private static EmbeddedBroker broker;
  private static IngestServer server;
  private static IngestHttp http;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(brokerDir, 0);
    server =
        IngestServer.start(
            TestConfigs.ingest(
                broker.bootstrapServers(),
                Map.of(
                    IngestConfig.MAX_EVENT_BYTES_CONFIG,
                    "1024",
                    IngestConfig.MAX_BATCH_BYTES_CONFIG,
                    Integer.toString(LIMIT),
                    IngestConfig.MAX_INFLIGHT_BYTES_CONFIG,
                    Integer.toString(LIMIT),
                    IngestConfig.RETRY_AFTER_SECONDS_CONFIG,
                    "3",
                    // A body withheld while prefetched holds no bytes of the endpoints; read on
                    // the request thread, a held-open body holds its reservation.
                    IngestConfig.PREFETCH_BYTES_CONFIG,
                    "0")));
    http = new IngestHttp(server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    broker.close();
  }

  @Test
  void shouldAnswer503BeforeReadingWhileOtherRequestsHoldTheBytes() throws Exception {
    String track = "inflight-test";
    // A valid batch padded with blank lines to 4,000 bytes: it alone fits, nothing else does.
    String held = IngestServerTest.example("held", track) + "\n";
    held += "\n".repeat(4000 - held.length());
    try (RawHttp holder = new RawHttp(server.port())) {
      holder.send(
          RawHttp.headers(
              "POST",
              "/v1/events/batch",
              "Content-Type: application/x-ndjson",
              "Content-Length: 4000"));
      awaitInflightBytes(4000);

      IngestHttp.Response refused =
          http.post("/v1/events", "application/json", IngestServerTest.example("refused", track));

      assertThat(refused.status()).as(refused.raw().body()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("3");
      assertThat(refused.json().get("type").asText()).isEqualTo("urn:sluice:problem:overloaded");
      assertThat(refused.json().get("detail").asText())
          .contains(IngestConfig.MAX_INFLIGHT_BYTES_CONFIG);

      String answer = holder.send(held).response();
      assertThat(answer).startsWith("HTTP/1.1 202").contains("\"ids\":[\"held\"]");
    }
    IngestHttp.Response after =
        http.post("/v1/events", "application/json", IngestServerTest.example("after", track));
    assertThat(after.status()).as(after.raw().body()).isEqualTo(202);
    List<String> written =
        CommittedEvents.read(broker, 2, Duration.ofSeconds(20)).stream()
            .map(ConsumerRecord::value)
            .filter(event -> event.getTrack().equals(track))
            .map(RawEvent::getId)
            .toList();
    assertThat(written).containsExactly("held", "after");
  }

  @Test
  void shouldCountBodyOfUnknownLengthAsTheEndpointLimit() throws Exception {
    try (RawHttp holder = new RawHttp(server.port())) {
      // Chunked: the size is unknown until read, so the whole batch limit is reserved up front.
      holder.send(
          RawHttp.headers(
              "POST",
              "/v1/events/batch",
              "Content-Type: application/x-ndjson",
              "Transfer-Encoding: chunked"));
      awaitInflightBytes(LIMIT);

      IngestHttp.Response refused =
          http.post(
              "/v1/events",
              "application/json",
              IngestServerTest.example("refused-2", "inflight-chunked"));

      assertThat(refused.status()).as(refused.raw().body()).isEqualTo(503);
      String line = IngestServerTest.example("chunked", "inflight-chunked") + "\n";
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      String answer =
          holder
              .send(Integer.toHexString(bytes.length) + "\r\n" + line + "\r\n0\r\n\r\n")
              .response();
      assertThat(answer).startsWith("HTTP/1.1 202");
    }
    awaitInflightBytes(0);
  }

  /** Polls /metrics until the reserved bytes reach {@code bytes}: the held request arrived. */
  private static void awaitInflightBytes(long bytes) throws InterruptedException {
    String expected = "sluice_ingest_inflight_bytes " + (double) bytes;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String metrics = "";
    while (System.nanoTime() < deadline) {
      metrics = http.get("/metrics").raw().body();
      if (metrics.lines().anyMatch(expected::equals)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("in-flight bytes never reached " + bytes + ":\n" + metrics);
  }
}
