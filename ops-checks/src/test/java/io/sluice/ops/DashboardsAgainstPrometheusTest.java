package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboards and alert rules against a real Prometheus scraping a real run: the quickstart
 * (broker, ingest, curator, trainer, evaluator) in a child JVM with {@code --metrics-port}, and
 * Debian's prometheus on loopback scraping it every second with the alert rules loaded. Every panel
 * query must return data, every metric name any query uses must exist, every alert expression must
 * evaluate, and docs/metrics.md must describe exactly what the run exports. Skipped, with a
 * message, only when the prometheus binary is absent (.ci/run installs it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardsAgainstPrometheusTest {

  private static final Duration QUICKSTART_DEADLINE = Duration.ofMinutes(20);
  private static final Duration SCRAPE_DEADLINE = Duration.ofMinutes(2);

  private final HttpClient http = HttpClient.newHttpClient();
  private Path work;
  private Process quickstart;
  private Process prometheus;
  private int metricsPort;
  private int prometheusPort;
  private String scrape;
  private Set<String> metricNames;

  @BeforeAll
  void startQuickstartAndPrometheus() throws Exception {
    var binary = Repo.tool("prometheus");
    if (binary.isEmpty()) {
      System.err.println(Repo.missingToolMessage("prometheus"));
      return; // every test is then skipped, each with the message (see skipWithoutPrometheus)
    }
    work = Files.createTempDirectory("sluice-ops-prometheus-");
    metricsPort = freePort();
    prometheusPort = freePort();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    quickstart =
        new ProcessBuilder(
                java,
                "-Xmx3g",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.sluice.app.SluiceCli",
                "quickstart",
                "--metrics-port",
                Integer.toString(metricsPort),
                "--data-dir",
                work.resolve("run").toString(),
                "--summary-json",
                work.resolve("summary.json").toString(),
                "--ui-port",
                "0")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("quickstart.log").toFile())
            .start();

    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: sluice-quickstart
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(Repo.k8s().resolve("prometheus/sluice-alerts.yaml"), metricsPort));
    prometheus =
        new ProcessBuilder(
                binary.get().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();

    await(
        "prometheus ready",
        Duration.ofMinutes(1),
        () -> status("/-/ready") == 200,
        prometheus,
        "prometheus.log");
    await(
        "quickstart finished (summary.json)",
        QUICKSTART_DEADLINE,
        () -> Files.exists(work.resolve("summary.json")),
        quickstart,
        "quickstart.log");
    // The last meters register with the last decision; wait until Prometheus has scraped them.
    await(
        "the run's last meters scraped",
        SCRAPE_DEADLINE,
        () ->
            !query("sluice_evaluator_last_decision_timestamp_seconds").isEmpty()
                && !query("rate(sluice_ingest_requests_total[1m])").isEmpty()
                // Kafka clients' partition-level meters (lag) are picked up by a periodic refresh.
                && !query("kafka_consumer_fetch_manager_records_lag").isEmpty(),
        quickstart,
        "quickstart.log");
    scrape = get(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).body();
    metricNames = new TreeSet<>();
    JsonNode names =
        Dashboards.JSON.readTree(get(api("/api/v1/label/__name__/values")).body()).path("data");
    names.forEach(n -> metricNames.add(n.asText()));
  }

  @BeforeEach
  void skipWithoutPrometheus() {
    assumeTrue(prometheus != null, Repo.missingToolMessage("prometheus"));
  }

  @AfterAll
  void stop() throws InterruptedException, IOException {
    for (Process p : new Process[] {quickstart, prometheus}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void everyPanelQueryReturnsData() throws IOException {
    List<String> failures = new ArrayList<>();
    List<Dashboards.Query> queries = Dashboards.panelQueries();
    assertThat(queries).hasSizeGreaterThan(20);
    for (Dashboards.Query q : queries) {
      JsonNode answer = Dashboards.JSON.readTree(get(api("/api/v1/query", q.resolved())).body());
      if (!answer.path("status").asText().equals("success")) {
        failures.add(
            q.dashboard()
                + " / "
                + q.where()
                + ": "
                + answer.path("error").asText()
                + " in "
                + q.resolved());
      } else if (answer.path("data").path("result").isEmpty()) {
        failures.add(q.dashboard() + " / " + q.where() + ": no data for " + q.resolved());
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void everyTemplateVariableListsValues() throws IOException {
    Pattern labelValues = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_]+)\\)$");
    List<String> failures = new ArrayList<>();
    int variables = 0;
    for (Dashboards.Query q : Dashboards.otherQueries()) {
      if (!q.where().startsWith("variable")) {
        continue;
      }
      variables++;
      Matcher m = labelValues.matcher(q.resolved());
      if (!m.matches()) {
        failures.add(
            q.dashboard() + " / " + q.where() + ": not label_values(selector, label): " + q.expr());
        continue;
      }
      Set<String> values = new TreeSet<>();
      JsonNode series =
          Dashboards.JSON
              .readTree(
                  get(URI.create(
                          "http://127.0.0.1:"
                              + prometheusPort
                              + "/api/v1/series?match[]="
                              + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8)))
                      .body())
              .path("data");
      series.forEach(
          labels -> {
            if (labels.has(m.group(2))) {
              values.add(labels.path(m.group(2)).asText());
            }
          });
      if (values.isEmpty()) {
        failures.add(q.dashboard() + " / " + q.where() + ": no values for " + q.resolved());
      }
    }
    assertThat(variables).isEqualTo(2 * Dashboards.files().size());
    assertThat(failures).isEmpty();
  }

  @Test
  void everyMetricNameUsedByDashboardsAndAlertsExists() throws IOException {
    List<String> missing = new ArrayList<>();
    List<Dashboards.Query> all = new ArrayList<>(Dashboards.panelQueries());
    all.addAll(Dashboards.otherQueries());
    for (String[] alert : PromtoolTest.alerts()) {
      all.add(new Dashboards.Query("alerts", "alert " + alert[0], alert[1]));
    }
    for (Dashboards.Query q : all) {
      Set<String> used = Dashboards.metricNames(q.expr());
      if (used.isEmpty()) {
        missing.add(q.dashboard() + " / " + q.where() + ": uses no Sluice metric");
      }
      for (String name : used) {
        if (!metricNames.contains(name)) {
          missing.add(q.dashboard() + " / " + q.where() + ": " + name);
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void everyAlertExpressionEvaluatesAndPrometheusLoadedEveryRule() throws IOException {
    List<String> failures = new ArrayList<>();
    List<String[]> alerts = PromtoolTest.alerts();
    for (String[] alert : alerts) {
      JsonNode answer = Dashboards.JSON.readTree(get(api("/api/v1/query", alert[1])).body());
      if (!answer.path("status").asText().equals("success")) {
        failures.add(alert[0] + ": " + answer.path("error").asText());
      }
    }
    assertThat(failures).isEmpty();
    Map<String, String> health = new TreeMap<>();
    for (JsonNode group :
        Dashboards.JSON.readTree(get(api("/api/v1/rules")).body()).path("data").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        health.put(rule.path("name").asText(), rule.path("health").asText());
      }
    }
    Set<String> names = new TreeSet<>();
    alerts.forEach(a -> names.add(a[0]));
    assertThat(health.keySet()).isEqualTo(names);
    assertThat(health.values()).as(health.toString()).doesNotContain("err");
  }

  @Test
  void metricsReferenceMatchesWhatTheQuickstartExports() throws IOException {
    Map<String, String[]> documented = MetricsReference.read();
    Map<String, String> types = new TreeMap<>();
    Map<String, Set<String>> labels = new HashMap<>();
    Matcher type = Pattern.compile("(?m)^# TYPE (sluice_\\S+) (\\S+)$").matcher(scrape);
    while (type.find()) {
      types.put(type.group(1), type.group(2));
      labels.put(type.group(1), new TreeSet<>());
    }
    Matcher sample =
        Pattern.compile("(?m)^(sluice_[a-zA-Z0-9_]+)(?:\\{([^}]*)\\})? ").matcher(scrape);
    while (sample.find()) {
      String family = family(sample.group(1), types.keySet());
      if (sample.group(2) != null) {
        for (String pair : sample.group(2).split(",(?=[a-zA-Z_]+=\")")) {
          String label = pair.substring(0, pair.indexOf('='));
          if (!label.equals("le") && !label.equals("quantile")) {
            labels.get(family).add(label);
          }
        }
      }
    }
    assertThat(types).isNotEmpty();
    List<String> problems = new ArrayList<>();
    types.forEach(
        (name, t) -> {
          String[] row = documented.get(name);
          if (row == null) {
            problems.add(name + " is exported but not in docs/metrics.md");
          } else {
            if (!row[0].equals(t)) {
              problems.add(name + ": documented as " + row[0] + ", exported as " + t);
            }
            if (!MetricsReference.labels(row[1]).equals(labels.get(name))) {
              problems.add(
                  name + ": documented labels " + row[1] + ", exported " + labels.get(name));
            }
          }
        });
    documented.forEach(
        (name, row) -> {
          if (!types.containsKey(name)) {
            if (!row[2].contains("Appears after")) {
              problems.add(
                  name
                      + " is documented but the quickstart does not export it (say when it appears)");
            }
            if (!MetricsReference.registeredInSource(name)) {
              problems.add(name + " is documented but no service registers it");
            }
          }
        });
    assertThat(problems).isEmpty();
  }

  private static String family(String sample, Set<String> families) {
    if (families.contains(sample)) {
      return sample;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (sample.endsWith(suffix)
          && families.contains(sample.substring(0, sample.length() - suffix.length()))) {
        return sample.substring(0, sample.length() - suffix.length());
      }
    }
    throw new IllegalStateException("sample " + sample + " has no # TYPE line");
  }

  private JsonNode query(String promql) {
    try {
      return Dashboards.JSON
          .readTree(get(api("/api/v1/query", promql)).body())
          .path("data")
          .path("result");
    } catch (IOException e) {
      return Dashboards.JSON.createArrayNode();
    }
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + prometheusPort + path);
  }

  private URI api(String path, String promql) {
    return URI.create(
        "http://127.0.0.1:"
            + prometheusPort
            + path
            + "?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  private int status(String path) {
    try {
      return get(api(path)).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private HttpResponse<String> get(URI uri) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * Polls until {@code done}; fails early, with the log's tail, if the process it waits on exits.
   */
  private void await(
      String what, Duration deadline, BooleanSupplier done, Process process, String log)
      throws IOException, InterruptedException {
    Instant end = Instant.now().plus(deadline);
    while (!done.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            what + ": process exited with " + process.exitValue() + "\n" + tail(log));
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(what + ": not within " + deadline + "\n" + tail(log));
      }
      Thread.sleep(500);
    }
  }

  private String tail(String log) throws IOException {
    List<String> lines = Files.readAllLines(work.resolve(log));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
