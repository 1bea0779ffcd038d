package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.avro.RawEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that arrives while the broker is down is answered 503 and never written, not even after the
 * broker comes back; input accepted before is still there.
 */
class BrokerDownTest {

  @TempDir Path brokerDir;
  private EmbeddedBroker broker;
  private IngestServer server;

  @BeforeEach
  void start() throws Exception {
    broker = EmbeddedBroker.start(brokerDir, 0);
    server =
        IngestServer.start(
            TestConfigs.ingest(
                broker.bootstrapServers(),
                Map.of(
                    IngestConfig.PRODUCE_TIMEOUT_MS_CONFIG,
                    "3000",
                    IngestConfig.RETRY_AFTER_SECONDS_CONFIG,
                    "7")));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    broker.close();
  }

  @Test
  void shouldAnswer503AndWriteNothingWhileBrokerIsDown() throws Exception {
    IngestHttp http = new IngestHttp(server.port());
    String track = "down-test";
    assertThat(
            http.post("/v1/events", "application/json", IngestServerTest.example("before", track))
                .status())
        .isEqualTo(202);

    int port = Integer.parseInt(broker.bootstrapServers().replaceAll(".*:", ""));
    broker.close();
    IngestHttp.Response single =
        http.post("/v1/events", "application/json", IngestServerTest.example("during-1", track));
    IngestHttp.Response batch =
        http.post(
            "/v1/events/batch",
            "application/x-ndjson",
            IngestServerTest.example("during-2", track)
                + "\n"
                + IngestServerTest.example("during-3", track));
    IngestHttp.Response ready = http.get("/readyz");

    assertThat(single.status()).as(single.raw().body()).isEqualTo(503);
    assertThat(single.header("Retry-After")).isEqualTo("7");
    assertThat(single.json().get("type").asText())
        .isEqualTo("urn:sluice:problem:broker-unavailable");
    assertThat(batch.status()).isEqualTo(503);
    assertThat(ready.status()).isEqualTo(503);

    broker = EmbeddedBroker.start(brokerDir, port);
    IngestHttp.Response after =
        http.post("/v1/events", "application/json", IngestServerTest.example("after", track));
    assertThat(after.status()).as(after.raw().body()).isEqualTo(202);
    List<String> written =
        CommittedEvents.read(broker, 2, Duration.ofSeconds(30)).stream()
            .map(ConsumerRecord::value)
            .map(RawEvent::getId)
            .toList();
    assertThat(written).containsExactly("before", "after");
  }
}
