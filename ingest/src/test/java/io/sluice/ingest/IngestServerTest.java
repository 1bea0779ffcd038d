package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
import io.sluice.schemas.event.NativeEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service end to end: HTTP in, a real broker, read_committed consumer out. */
class IngestServerTest {

  private static final String KEY_ACME = "acme-key-0123456789";
  private static final String KEY_ALL = "admin-key-0123456789";

  @TempDir static Path brokerDir;
  private static EmbeddedBroker broker;
  private static IngestServer open;
  private static IngestServer secured;
  private static IngestHttp http;
  private static IngestHttp securedHttp;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(brokerDir, 0);
    open = IngestServer.start(TestConfigs.ingest(broker.bootstrapServers(), Map.of()));
    secured =
        IngestServer.start(
            TestConfigs.ingest(
                broker.bootstrapServers(),
                Map.of(
                    IngestConfig.API_KEYS_CONFIG, KEY_ACME + "=acme|acme-labs," + KEY_ALL + "=*")));
    http = new IngestHttp(open.port());
    securedHttp = new IngestHttp(secured.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (open != null) {
      open.close();
    }
    if (secured != null) {
      secured.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static String track() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static List<RawEvent> eventsOf(String track, int atLeast) {
    return CommittedEvents.read(broker, atLeast, Duration.ofSeconds(20)).stream()
        .map(ConsumerRecord::value)
        .filter(event -> event.getTrack().equals(track))
        .toList();
  }

  @Test
  void shouldWriteEventThatDecodesToTheInput() throws Exception {
    String track = track();
    String input =
        "{\"type\":\"feedback\",\"id\":\"f-1\",\"tenant\":\"acme\",\"track\":\""
            + track
            + "\","
            + "\"timestamp\":\"2025-01-31T09:30:00Z\",\"metadata\":{\"app\":\"web\"},"
            + "\"prompt\":[{\"role\":\"user\",\"content\":\"Reset my password\"}],"
            + "\"response\":\"Click Forgot password.\",\"rating\":\"down\","
            + "\"correction\":\"Use the reset link.\"}";

    IngestHttp.Response response = http.post("/v1/events", "application/json", input);

    assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
    JsonNode answer = response.json();
    assertThat(answer.get("id").asText()).isEqualTo("f-1");
    assertThat(answer.get("topic").asText()).isEqualTo(Topics.EVENTS_RAW.name());
    ConsumerRecord<String, RawEvent> record =
        CommittedEvents.read(broker, 1, Duration.ofSeconds(20)).stream()
            .filter(r -> r.value().getTrack().equals(track))
            .findFirst()
            .orElseThrow();
    assertThat(record.partition()).isEqualTo(answer.get("partition").asInt());
    assertThat(record.offset()).isEqualTo(answer.get("offset").asLong());
    assertThat(record.key()).isEqualTo("acme/" + track);
    assertThat(NativeEvents.toJson(record.value())).isEqualTo(IngestHttp.MAPPER.readTree(input));
  }

  @Test
  void shouldAssignIdAndTimestampWhenAbsent() {
    String track = track();
    String input =
        "{\"type\":\"example\",\"tenant\":\"acme\",\"track\":\""
            + track
            + "\","
            + "\"prompt\":\"Say hi\",\"completion\":\"Hi!\"}";

    IngestHttp.Response response = http.post("/v1/events", "application/json", input);

    assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
    String id = response.json().get("id").asText();
    assertThat(UUID.fromString(id)).isNotNull();
    RawEvent written = eventsOf(track, 1).get(0);
    assertThat(written.getId()).isEqualTo(id);
    assertThat(written.getTimestamp()).isNotNull();
  }

  @Test
  void shouldWriteWholeBatchAndKeepTrackOrder() {
    String track = track();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      body.append(example("b-" + i, track)).append("\r\n");
    }
    body.append("\n");

    IngestHttp.Response response =
        http.post("/v1/events/batch", "application/x-ndjson", body.toString());

    assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
    assertThat(response.json().get("count").asInt()).isEqualTo(50);
    List<String> expected =
        java.util.stream.IntStream.range(0, 50).mapToObj(i -> "b-" + i).toList();
    assertThat(ids(response)).containsExactlyElementsOf(expected);
    List<RawEvent> written = eventsOf(track, 50);
    assertThat(written).extracting(RawEvent::getId).containsExactlyElementsOf(expected);
  }

  @Test
  void shouldAnswerBatchWithIdsInLineOrderIncludingAssignedOnes() {
    String track = track();
    String noId = example("x", track).replace("\"id\":\"x\",", "");
    String body = example("m-1", track) + "\n\n" + noId + "\n" + example("m-3", track) + "\n";

    IngestHttp.Response response = http.post("/v1/events/batch", "application/x-ndjson", body);

    assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
    List<String> ids = ids(response);
    assertThat(ids).hasSize(3);
    assertThat(ids.get(0)).isEqualTo("m-1");
    assertThat(UUID.fromString(ids.get(1))).isNotNull();
    assertThat(ids.get(2)).isEqualTo("m-3");
    assertThat(eventsOf(track, 3)).extracting(RawEvent::getId).containsExactlyElementsOf(ids);
  }

  private static List<String> ids(IngestHttp.Response response) {
    List<String> ids = new java.util.ArrayList<>();
    response.json().get("ids").forEach(id -> ids.add(id.asText()));
    assertThat(ids).hasSize(response.json().get("count").asInt());
    return ids;
  }

  @Test
  void shouldWriteNothingOfBatchWithOneBadLine() {
    String track = track();
    String body =
        example("good-1", track)
            + "\n"
            + example("good-2", track).replace("\"tenant\":\"acme\"", "\"tenant\":\"Acme\"")
            + "\n"
            + example("good-3", track)
            + "\n";

    IngestHttp.Response response = http.post("/v1/events/batch", "application/x-ndjson", body);

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode errors = response.json().get("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("line").asInt()).isEqualTo(2);
    assertThat(errors.get(0).get("pointer").asText()).isEqualTo("/tenant");
    // A later event on the same track is visible, so the batch would have been too.
    assertThat(http.post("/v1/events", "application/json", example("sentinel", track)).status())
        .isEqualTo(202);
    assertThat(eventsOf(track, 1)).extracting(RawEvent::getId).containsExactly("sentinel");
  }

  @Test
  void shouldImportOpenAiChatAndPreferenceLines() {
    String track = track();
    String body =
        "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello!\"}]}\n"
            + "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]},"
            + "\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Paris.\"}],"
            + "\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"Lyon.\"}]}\n";

    IngestHttp.Response response =
        http.post("/v1/import/openai?tenant=acme&track=" + track, "application/x-ndjson", body);

    assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
    assertThat(response.json().get("count").asInt()).isEqualTo(2);
    List<RawEvent> written = eventsOf(track, 2);
    assertThat(written).hasSize(2);
    assertThat(written).extracting(RawEvent::getId).containsExactlyElementsOf(ids(response));
    RawEvent chat = written.get(0);
    assertThat(chat.getType()).isEqualTo(EventType.example);
    assertThat(chat.getPrompt())
        .isEqualTo(
            List.of(ChatMessages.of(Role.system, "Be brief."), ChatMessages.of(Role.user, "Hi")));
    assertThat(chat.getCompletion()).isEqualTo("Hello!");
    assertThat(chat.getMetadata()).containsEntry("import", "openai");
    RawEvent preference = written.get(1);
    assertThat(preference.getType()).isEqualTo(EventType.preference);
    assertThat(preference.getChosen()).isEqualTo("Paris.");
    assertThat(preference.getRejected()).isEqualTo("Lyon.");
  }

  @Test
  void shouldReportOpenAiLineProblemsWithPointersIntoTheLine() {
    String body =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"\\u0007\"}]}\n";

    IngestHttp.Response response =
        http.post("/v1/import/openai?tenant=acme&track=" + track(), "application/x-ndjson", body);

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("errors").get(0).get("pointer").asText())
        .isEqualTo("/messages/1/content");
  }

  @Test
  void shouldRequireTenantAndTrackForImport() {
    IngestHttp.Response response =
        http.post("/v1/import/openai?tenant=Acme", "application/x-ndjson", "{}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("type").asText())
        .isEqualTo("urn:sluice:problem:invalid-parameter");
  }

  @Test
  void shouldRefuseMissingOrUnknownApiKey() {
    String event = example("k-1", track());

    IngestHttp.Response missing =
        securedHttp.post("/v1/events", "application/json", event.getBytes(), null);
    IngestHttp.Response unknown =
        securedHttp.post(
            "/v1/events", "application/json", event.getBytes(), "not-a-key-0123456789");

    assertThat(missing.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().get("type").asText()).isEqualTo("urn:sluice:problem:unauthorized");
  }

  @Test
  void shouldLetKeyWriteOnlyItsTenants() {
    String track = track();
    String own = example("own", track);
    String foreign =
        example("foreign", track).replace("\"tenant\":\"acme\"", "\"tenant\":\"globex\"");

    IngestHttp.Response allowed =
        securedHttp.post("/v1/events", "application/json", own.getBytes(), KEY_ACME);
    IngestHttp.Response forbidden =
        securedHttp.post(
            "/v1/events/batch",
            "application/x-ndjson",
            (own + "\n" + foreign + "\n").getBytes(),
            KEY_ACME);
    IngestHttp.Response admin =
        securedHttp.post("/v1/events", "application/json", foreign.getBytes(), KEY_ALL);

    assertThat(allowed.status()).isEqualTo(202);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("errors").get(0).get("line").asInt()).isEqualTo(2);
    assertThat(admin.status()).isEqualTo(202);
    assertThat(eventsOf(track, 2))
        .extracting(RawEvent::getTenant)
        .containsExactlyInAnyOrder("acme", "globex");
  }

  @Test
  void shouldAnswerProbesAndExposeMetrics() {
    http.post("/v1/events", "application/json", example("m-1", track()));

    assertThat(http.get("/healthz").status()).isEqualTo(200);
    assertThat(http.get("/readyz").status()).isEqualTo(200);
    IngestHttp.Response metrics = http.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.raw().body())
        .contains("sluice_ingest_requests_total{endpoint=\"events\",status=\"202\"}")
        .contains("sluice_ingest_events_accepted_total{tenant=\"acme\",type=\"example\"}")
        .contains("sluice_ingest_produce_latency_seconds_bucket");
  }

  @Test
  void shouldAnswerUnknownPathWithProblem() {
    IngestHttp.Response response = http.get("/v2/nothing");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  void shouldNotLetOneFailingRequestFailOthersInTheSameTransaction() throws Exception {
    String track = track();
    // The producer refuses records over 600 bytes: a server-side limit below the event limit.
    try (IngestServer tight =
        IngestServer.start(
            TestConfigs.ingest(
                broker.bootstrapServers(), Map.of("kafka.max.request.size", "600")))) {
      IngestHttp tightHttp = new IngestHttp(tight.port());
      String big = example("big", track).replace("\"Hi!\"", "\"" + "x".repeat(700) + "\"");
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<IngestHttp.Response>> small = new java.util.ArrayList<>();
        java.util.concurrent.Future<IngestHttp.Response> bigResponse =
            pool.submit(() -> tightHttp.post("/v1/events", "application/json", big));
        for (int i = 0; i < 10; i++) {
          String event = example("small-" + i, track);
          small.add(pool.submit(() -> tightHttp.post("/v1/events", "application/json", event)));
        }

        assertThat(bigResponse.get().status()).isEqualTo(500);
        assertThat(bigResponse.get().json().get("type").asText())
            .isEqualTo("urn:sluice:problem:internal-error");
        for (java.util.concurrent.Future<IngestHttp.Response> response : small) {
          assertThat(response.get().status()).isEqualTo(202);
        }
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(eventsOf(track, 10)).extracting(RawEvent::getId).hasSize(10).doesNotContain("big");
  }

  @Test
  void shouldWriteQueuedEventsWhenClosing() throws Exception {
    String track = track();
    IngestConfig config = TestConfigs.ingest(broker.bootstrapServers(), Map.of());
    RawEvent event =
        ((io.sluice.schemas.event.ParseResult.Valid)
                io.sluice.schemas.event.NativeEvents.parse(
                    IngestHttp.MAPPER.readTree(example("closing", track)),
                    io.sluice.schemas.event.ServerDefaults.system()))
            .event();
    EventWriter.PendingWrite written;

    try (EventWriter writer =
        EventWriter.create(
            config,
            "closing-test",
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
      written = writer.write(List.of(event));
    }

    assertThat(written.isDone()).isTrue();
    assertThat(written.await(Duration.ZERO)).hasSize(1);
    assertThat(eventsOf(track, 1)).extracting(RawEvent::getId).containsExactly("closing");
  }

  static String example(String id, String track) {
    ObjectNode event = IngestHttp.MAPPER.createObjectNode();
    event.put("type", "example");
    event.put("id", id);
    event.put("tenant", "acme");
    event.put("track", track);
    event.put("prompt", "Say hi");
    event.put("completion", "Hi!");
    return event.toString();
  }
}
