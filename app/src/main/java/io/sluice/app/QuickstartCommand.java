package io.sluice.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.CuratorService;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import io.sluice.schemas.AvroJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice quickstart}: the whole pipeline in one JVM on the embedded broker, fed with a
 * bundled demo file, with a report of what landed on each topic.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "Run broker, ingest and curator in one JVM, send a demo file and show the results.")
public final class QuickstartCommand implements Callable<Integer> {

  static final String DEMO_RESOURCE = "/io/sluice/app/demo-events.jsonl";
  private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(120);

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the broker and curator keep state (default: a new temporary directory).")
  Path dataDir;

  @Option(
      names = "--ingest-port",
      defaultValue = "0",
      description = "Ingest HTTP port (default: a free one, so the demo never collides with a local service).")
  int ingestPort;

  @Option(names = "--events", paramLabel = "FILE", description = "Send this JSONL file of native events instead of the bundled demo.")
  Path events;

  @Option(names = "--keep-running", description = "Keep the services running after the demo, until Ctrl-C.")
  boolean keepRunning;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("sluice-quickstart-");
    String demo = readEvents();
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
        IngestServer ingest = IngestServer.start(ingestConfig(broker));
        CuratorService curator = startCurator(broker, dir)) {
      out.printf("Kafka broker  %s (data in %s)%n", broker.bootstrapServers(), dir);
      out.printf("Ingest API    http://localhost:%d%n", ingest.port());
      out.printf("Curator       running, exactly-once%n%n");

      QuickstartReport.Sent sent = send(ingest.port(), demo);
      out.printf("Sent %d events to POST /v1/events/batch -> HTTP %d%n%n", sent.lines(), sent.status());
      if (sent.status() != 202) {
        out.println(sent.body());
        return 1;
      }
      QuickstartReport report =
          QuickstartReport.await(broker.bootstrapServers(), sent.lines(), PIPELINE_TIMEOUT);
      report.print(out);

      if (keepRunning) {
        out.printf(
            "%nServices keep running. Try:%n  curl -s localhost:%d/readyz%n"
                + "  bin/sluice consume --bootstrap-servers %s --topic sluice.examples.curated --from-beginning%n"
                + "Stop with Ctrl-C.%n",
            ingest.port(),
            broker.bootstrapServers());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "quickstart-stop"));
        stop.await();
      }
      return report.complete() ? 0 : 1;
    }
  }

  private String readEvents() throws IOException {
    if (events != null) {
      return Files.readString(events);
    }
    try (InputStream in = QuickstartCommand.class.getResourceAsStream(DEMO_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("bundled demo file " + DEMO_RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private IngestConfig ingestConfig(EmbeddedBroker broker) {
    return IngestConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            IngestConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            IngestConfig.PORT_CONFIG, Integer.toString(ingestPort)));
  }

  private static CuratorService startCurator(EmbeddedBroker broker, Path dir) throws InterruptedException {
    CuratorConfig config =
        CuratorConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                CuratorConfig.STATE_DIR_CONFIG, dir.resolve("curator-state").toString()));
    CuratorService curator =
        CuratorService.start(config, Map.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    curator.awaitRunning(PIPELINE_TIMEOUT);
    return curator;
  }

  private static QuickstartReport.Sent send(int port, String ndjson) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/events/batch"))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(ndjson))
            .timeout(Duration.ofSeconds(60))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return QuickstartReport.Sent.of(ndjson, response.statusCode(), response.body());
  }

  static String json(org.apache.avro.generic.IndexedRecord record) {
    return AvroJson.toJson(record).toPrettyString();
  }
}
