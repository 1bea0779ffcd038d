package io.sluice.ui;

import static io.sluice.ui.RegistryRecords.GLOBEX;
import static io.sluice.ui.RegistryRecords.SALES;
import static io.sluice.ui.RegistryRecords.SALES_NEXT;
import static io.sluice.ui.RegistryRecords.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.broker.EmbeddedBroker;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages and the JSON API against a real broker holding what an evaluator writes. */
class RegistryApiTest {

  static final String ACME_KEY = "acme-key-0123456789";
  static final String ALL_KEY = "every-tenant-key-0123";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir static Path dir;
  static EmbeddedBroker broker;
  static UiServer keyed;
  static UiServer open;

  @BeforeAll
  static void writeRecordsAndStart() throws Exception {
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    RegistryRecords.write(broker.bootstrapServers(), dir.resolve("store"));
    keyed = start(ACME_KEY + "=acme," + ALL_KEY + "=*");
    open = start("");
  }

  private static UiServer start(String keys) throws InterruptedException {
    UiServer server =
        UiServer.start(
            UiConfig.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                    UiConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    UiConfig.HOST_CONFIG,
                    "127.0.0.1",
                    UiConfig.PORT_CONFIG,
                    "0",
                    UiConfig.API_KEYS_CONFIG,
                    keys)));
    assertThat(server.feed().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    return server;
  }

  @AfterAll
  static void stop() {
    if (keyed != null) {
      keyed.close();
    }
    if (open != null) {
      open.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** An unreadable decision record precedes the support PROMOTE on its partition: it is skipped. */
  @Test
  void tracksShowChampionWaitingCandidatesAndLastDecision() throws Exception {
    JsonNode tracks = json(keyed, "/api/tracks", ALL_KEY).path("tracks");

    assertThat(names(tracks))
        .containsExactly(
            "acme/sales-bot", "acme/support-bot", "globex/support-bot", "initech/helpdesk");
    JsonNode support = track(tracks, "acme/support-bot");
    assertThat(support.path("champion").path("candidateId").asText()).isEqualTo(SUPPORT);
    assertThat(support.path("registryVersion").asInt()).isEqualTo(1);
    assertThat(support.path("lastDecision").path("action").asText()).isEqualTo("PROMOTE");
    assertThat(support.path("waiting")).isEmpty();
    JsonNode sales = track(tracks, "acme/sales-bot");
    assertThat(sales.path("champion").isNull()).isTrue();
    assertThat(sales.path("waiting").toString()).isEqualTo("[\"" + SALES_NEXT + "\"]");
    assertThat(sales.path("lastDecision").path("candidateId").asText()).isEqualTo(SALES);
    assertThat(sales.path("lastDecision").path("codes").toString()).isEqualTo("[\"FORGETTING\"]");
  }

  @Test
  void aKeySeesOnlyItsTenants() throws Exception {
    assertThat(names(json(keyed, "/api/tracks", ACME_KEY).path("tracks")))
        .containsExactly("acme/sales-bot", "acme/support-bot");
    assertThat(get(keyed, "/api/tracks/globex/support-bot", ACME_KEY).statusCode()).isEqualTo(404);
    assertThat(get(keyed, "/api/candidates/" + GLOBEX, ACME_KEY).statusCode()).isEqualTo(404);
    assertThat(get(keyed, "/candidates/" + GLOBEX, ACME_KEY).statusCode()).isEqualTo(404);
    assertThat(get(keyed, "/candidates/" + GLOBEX + "/files/lineage.json", ACME_KEY).statusCode())
        .isEqualTo(404);
    String page = get(keyed, "/tracks", ACME_KEY).body();
    assertThat(page).contains(SUPPORT).doesNotContain("globex").doesNotContain(GLOBEX);
    assertThat(get(keyed, "/api/tracks/globex/support-bot", ALL_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAKnownKeyNothingIsShown() throws Exception {
    HttpResponse<String> api = get(keyed, "/api/tracks", null);
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(api.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(api.body()).doesNotContain("acme");
    assertThat(get(keyed, "/api/tracks", "not-a-key-of-ours-at-all").statusCode()).isEqualTo(401);
    HttpResponse<String> page = get(keyed, "/tracks/acme/support-bot", null);
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.body())
        .contains("<form method=\"post\" action=\"/login\"")
        .doesNotContain(SUPPORT);
  }

  @Test
  void theSignInFormSetsACookieThatShowsTheKeysTenants() throws Exception {
    HttpResponse<String> wrong = signIn("wrong-key-0123456789abc");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("login-error");
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> signedIn = signIn(ACME_KEY);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
    assertThat(cookie).doesNotContainIgnoringCase("Secure");
    HttpResponse<String> behindTls =
        HTTP.send(
            HttpRequest.newBuilder(uri(keyed, "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + ACME_KEY))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(behindTls.headers().firstValue("Set-Cookie").orElseThrow())
        .containsIgnoringCase("Secure");
    HttpResponse<String> tracks =
        HTTP.send(
            HttpRequest.newBuilder(uri(keyed, "/tracks"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tracks.statusCode()).isEqualTo(200);
    assertThat(tracks.body()).contains("support-bot").doesNotContain("globex").contains("Sign out");
  }

  @Test
  void anAbortedTransactionNeverShows() throws Exception {
    JsonNode globex = json(keyed, "/api/tracks/globex/support-bot", ALL_KEY);
    assertThat(globex.path("decisions")).hasSize(1);
    assertThat(globex.path("decisions").get(0).path("action").asText()).isEqualTo("PROMOTE");
  }

  @Test
  void theTimelineShowsManualPromotesAndRollbacksNewestFirst() throws Exception {
    String page = get(keyed, "/tracks/initech/helpdesk", ALL_KEY).body();

    assertThat(page)
        .contains("registry version 3")
        .contains(RegistryRecords.INITECH + "</a> serves");
    int rollback = page.indexOf("data-code=\"ROLLBACK\"");
    int manual = page.indexOf("data-code=\"MANUAL_PROMOTE\"");
    int gate = page.indexOf("data-code=\"PASSED\"");
    assertThat(rollback).isPositive().isLessThan(manual);
    assertThat(manual).isLessThan(gate);
    assertThat(page)
        .contains("rolled back by bob: wrong tone")
        .contains(">bob<")
        .contains(">alice<");
    assertThat(page).contains("<span class=\"badge rollback\">ROLLBACK</span>");
    assertThat(page.split("<span class=\"muted\">manual</span>", -1)).hasSize(3);
  }

  @Test
  void theTenantFilterShowsOneTenant() throws Exception {
    String globex = get(keyed, "/tracks?tenant=globex", ALL_KEY).body();

    assertThat(globex).contains("data-tenant=\"globex\"").doesNotContain("data-tenant=\"acme\"");
    assertThat(globex).contains("<option value=\"globex\" selected>");
    assertThat(get(keyed, "/tracks?tenant=globex", ACME_KEY).body())
        .doesNotContain("data-tenant=")
        .doesNotContain(GLOBEX);
  }

  @Test
  void aCandidateCarriesItsReportDecisionTrainingAndFiles() throws Exception {
    JsonNode sales = json(keyed, "/api/candidates/" + SALES, ACME_KEY);

    assertThat(sales.path("tenant").asText()).isEqualTo("acme");
    assertThat(sales.path("candidate").path("exampleCount").asInt()).isEqualTo(24);
    assertThat(sales.path("evaluations").get(0).path("generalScores").path("capitals").asDouble())
        .isEqualTo(0.4);
    JsonNode reason = sales.path("decisions").get(0).path("details").get(0);
    assertThat(reason.path("code").asText()).isEqualTo("FORGETTING");
    assertThat(reason.path("task").asText()).isEqualTo("capitals");
    assertThat(sales.path("trainingReport").path("loss_curve")).hasSize(5);
    assertThat(sales.path("lineage").path("adapter_id").asText()).isEqualTo(SALES);
    List<String> files = new ArrayList<>();
    sales.path("files").forEach(f -> files.add(f.path("name").asText()));
    assertThat(files)
        .containsExactly("adapter_config.json", "lineage.json", "training_report.json");

    HttpResponse<String> config =
        get(keyed, sales.path("files").get(0).path("href").asText(), ACME_KEY);
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).isEqualTo("{\"peft_type\":\"LORA\",\"r\":8}");
    String outside =
        "/candidates/"
            + SALES
            + "/files/"
            + URLEncoder.encode("../" + SUPPORT, StandardCharsets.UTF_8);
    assertThat(get(keyed, outside, ACME_KEY).statusCode()).isEqualTo(404);
  }

  @Test
  void pagesShowTheDecisionInWordsAndOneChartSeriesPerSkill() throws Exception {
    String track = get(keyed, "/tracks/acme/sales-bot", ACME_KEY).body();
    assertThat(track)
        .contains("capitals dropped 1.000 -&gt; 0.400")
        .contains("data-code=\"FORGETTING\"");
    for (String skill : RegistryRecords.SKILLS) {
      assertThat(track).containsOnlyOnce("class=\"series candidate\" data-skill=\"" + skill + "\"");
    }
    assertThat(track).contains("class=\"band\"").doesNotContain("<script");
    // The band is the budget the evaluator recorded in its reports, read back from the topic.
    assertThat(track).contains("each evaluation was judged with (0.050)");

    String candidate = get(keyed, "/candidates/" + SALES, ACME_KEY).body();
    assertThat(candidate)
        .contains("A general skill dropped by more than the allowed drop against the champion.")
        .contains("id=\"chart-loss\"")
        .contains(
            "<tr data-task=\"capitals\"><td>capitals</td><td class=\"num\">1.000</td><td"
                + " class=\"num\">1.000</td><td class=\"num\">0.400</td><td"
                + " class=\"num\">-0.600</td>");
  }

  @Test
  void anOpenUiSaysSoOnEveryPageAndShowsEveryTenant() throws Exception {
    for (String path : List.of("/tracks", "/tracks/acme/support-bot", "/candidates/" + SUPPORT)) {
      HttpResponse<String> page = get(open, path, null);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.body()).as(path).contains("id=\"open-access\"");
    }
    assertThat(get(open, "/tracks", null).body()).contains("globex");
    assertThat(json(open, "/api/tracks", null).path("open").asBoolean()).isTrue();
    assertThat(get(keyed, "/tracks", ALL_KEY).body()).doesNotContain("open-access");
  }

  private static HttpResponse<String> signIn(String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(keyed, "/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(UiServer server, String path, String key) throws Exception {
    HttpResponse<String> response = get(server, path, key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static HttpResponse<String> get(UiServer server, String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(UiServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static List<String> names(JsonNode tracks) {
    List<String> names = new ArrayList<>();
    tracks.forEach(t -> names.add(t.path("tenant").asText() + "/" + t.path("track").asText()));
    return names;
  }

  private static JsonNode track(JsonNode tracks, String name) {
    for (JsonNode t : tracks) {
      if ((t.path("tenant").asText() + "/" + t.path("track").asText()).equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no track " + name + " in " + tracks);
  }
}
