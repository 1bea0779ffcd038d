package io.sluice.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.bench.ingest.BatchSender;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.config.MetricsEndpoint;
import io.sluice.config.ServiceMeters;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.CuratorService;
import io.sluice.evaluator.EvaluatorConfig;
import io.sluice.evaluator.EvaluatorService;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.LanguageModel;
import io.sluice.schemas.AvroJson;
import io.sluice.trainer.TrainerConfig;
import io.sluice.trainer.TrainerService;
import io.sluice.ui.UiConfig;
import io.sluice.ui.UiServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice quickstart}: the whole loop in one JVM on the embedded broker: ingest, curator,
 * trainer and evaluator over one shared copy of the default base model, fed with a bundled demo
 * stream of two tracks. One track trains with aggressive settings and no rehearsal, the other with
 * the defaults; the gate's own measurements decide what happens to each.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Run broker, ingest, curator, trainer and evaluator in one JVM, send a demo stream of two tracks,"
            + " and show a forgetting adapter rejected and a good one promoted.")
public final class QuickstartCommand implements Callable<Integer> {

  static final String DEMO_RESOURCE = "/io/sluice/app/demo-events.jsonl";
  private static final String TORCH_THREADS = "ai.djl.pytorch.num_threads";
  private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration LOOP_TIMEOUT = Duration.ofMinutes(10);

  /** The demo's aggressive track; its only difference from the other is these training settings. */
  static final String AGGRESSIVE_TRACK = "acme/sales-bot";

  private static final Map<String, String> AGGRESSIVE_SETTINGS =
      Map.of("lr", "3e-3", "epochs", "3", "rehearsal.fraction", "0", "replay.fraction", "0");

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the broker, curator, trainer and evaluator keep state (default: a new temporary directory).")
  Path dataDir;

  @Option(
      names = "--ingest-port",
      defaultValue = "0",
      description =
          "Ingest HTTP port (default: a free one, so the demo never collides with a local service).")
  int ingestPort;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      defaultValue = "8090",
      description = "Registry pages' HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int uiPort;

  @Option(
      names = "--events",
      paramLabel = "FILE",
      description = "Send this JSONL file of native events instead of the bundled demo.")
  Path events;

  @Option(
      names = "--keep-running",
      description = "Keep the services running after the demo, until Ctrl-C.")
  boolean keepRunning;

  @Option(names = "--once", description = "Exit when the demo is done, even with --metrics-port.")
  boolean once;

  @Option(
      names = "--summary-json",
      paramLabel = "FILE",
      description = "Write the decisions and key numbers as JSON.")
  Path summaryJson;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve every service's metrics on this port (/metrics); without --once the services keep running.")
  Integer metricsPort;

  @Option(
      names = "--window-wait",
      paramLabel = "DURATION",
      defaultValue = "8s",
      description =
          "How long a track's window collects examples before it trains (default: ${DEFAULT-VALUE}).")
  String windowWait;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("sluice-quickstart-");
    String demo = readEvents();
    PrometheusMeterRegistry registry = ServiceMeters.processRegistry();
    // The trainer and the evaluator compute at the same time in this one process: half the cores
    // each, or libtorch's spinning workers take turns on the same cores.
    if (System.getProperty(TORCH_THREADS) == null) {
      System.setProperty(
          TORCH_THREADS,
          Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
    }
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
        IngestServer ingest = IngestServer.start(ingestConfig(broker), registry);
        CuratorService curator = startCurator(broker, dir, registry);
        LanguageModel base = LanguageModel.load(DefaultBaseModel.path());
        TrainerService trainer = TrainerService.start(trainerConfig(broker, dir), registry, base);
        EvaluatorService evaluator =
            EvaluatorService.start(evaluatorConfig(broker, dir), registry, base);
        UiServer ui = UiServer.start(uiConfig(broker));
        MetricsEndpoint endpoint =
            metricsPort == null
                ? null
                : MetricsEndpoint.start(
                    metricsPort, registry, () -> trainer.isReady() && evaluator.isReady())) {
      out.printf("Kafka broker  %s (data in %s)%n", broker.bootstrapServers(), dir);
      out.printf("Ingest API    http://localhost:%d%n", ingest.port());
      out.printf("Curator       running, exactly-once%n");
      out.printf("Base model    %s (%s)%n", DefaultBaseModel.NAME, base.directory());
      out.printf(
          "Trainer       windows per tenant/track; %s trains with %s, every other track with the defaults%n",
          AGGRESSIVE_TRACK, AGGRESSIVE_SETTINGS);
      out.printf("Evaluator     domain holdout + general skills gate%n");
      out.printf("Registry UI   http://localhost:%d/%n", ui.port());
      if (endpoint != null) {
        out.printf("Metrics       http://localhost:%d/metrics%n", endpoint.port());
      }
      out.println();

      long firstEvent = System.nanoTime();
      QuickstartReport.Sent sent = send(ingest.port(), demo);
      out.printf(
          "Sent %d events to POST /v1/events/batch -> HTTP %d%n%n", sent.lines(), sent.status());
      if (sent.status() != 202) {
        out.println(sent.body());
        return 1;
      }
      QuickstartReport report =
          QuickstartReport.await(broker.bootstrapServers(), sent.lines(), PIPELINE_TIMEOUT);
      report.print(out);
      if (!report.complete()) {
        return 1;
      }
      Set<String> tracks =
          report.trainableTracks(track -> trainer.config().track(track).minExamplesOnTimeout());
      out.printf(
          "%nTraining and evaluating %s (a window closes %s after its first example)...%n",
          tracks, windowWait);
      LoopReport loop = LoopReport.await(broker.bootstrapServers(), tracks, LOOP_TIMEOUT, out);
      loop.print(out);
      double seconds = (loop.lastDecisionAtNanos() - firstEvent) / 1e9;
      if (loop.complete()) {
        out.printf("%nFirst event to last decision: %.1f s%n", seconds);
      } else {
        out.printf("%nNot every track was decided within %s; see the log above.%n", LOOP_TIMEOUT);
      }
      if (summaryJson != null) {
        writeSummary(report, loop, seconds);
      }
      if (keepRunning || (endpoint != null && !once)) {
        out.printf(
            "%nServices keep running. Try:%n  curl -s localhost:%d/readyz%n"
                + "  bin/sluice adapters list --bootstrap-servers %s%n"
                + "  bin/sluice consume --bootstrap-servers %s --topic sluice.adapters.decisions --from-beginning%n"
                + "Stop with Ctrl-C.%n",
            ingest.port(), broker.bootstrapServers(), broker.bootstrapServers());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "quickstart-stop"));
        stop.await();
      }
      return loop.complete() ? 0 : 1;
    }
  }

  private void writeSummary(QuickstartReport report, LoopReport loop, double seconds)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.set("decisions", loop.decisionsJson(json));
    root.put("seconds_first_event_to_last_decision", seconds);
    root.put("events_in", report.raw().size());
    root.put("curated", report.curated().size());
    root.set("rejected_by_reason", json.valueToTree(report.rejectedByReason()));
    root.set("pii_redacted", json.valueToTree(report.piiTotals()));
    root.put("duplicates", report.duplicates());
    root.put("candidates", loop.candidateCount());
    root.put("complete", loop.complete());
    Files.writeString(summaryJson, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  private TrainerConfig trainerConfig(EmbeddedBroker broker, Path dir) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    settings.put(TrainerConfig.ADAPTER_STORE_CONFIG, dir.resolve("adapters").toString());
    settings.put(TrainerConfig.INSTANCE_ID_CONFIG, "quickstart");
    settings.put(TrainerConfig.WINDOW_MAX_WAIT_CONFIG, windowWait);
    settings.put(TrainerConfig.MIN_INTERVAL_CONFIG, "0");
    AGGRESSIVE_SETTINGS.forEach(
        (key, value) -> settings.put("trainer.tracks.\"" + AGGRESSIVE_TRACK + "\"." + key, value));
    return TrainerConfig.load(Optional.empty(), Map.of(), settings);
  }

  private static EvaluatorConfig evaluatorConfig(EmbeddedBroker broker, Path dir) {
    return EvaluatorConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            EvaluatorConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            EvaluatorConfig.ADAPTER_STORE_CONFIG, dir.resolve("adapters").toString(),
            EvaluatorConfig.STATE_DIR_CONFIG, dir.resolve("evaluator-state").toString()));
  }

  private UiConfig uiConfig(EmbeddedBroker broker) {
    return UiConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            UiConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            UiConfig.PORT_CONFIG,
            Integer.toString(uiPort)));
  }

  private String readEvents() throws IOException {
    if (events != null) {
      return Files.readString(events);
    }
    try (InputStream in = QuickstartCommand.class.getResourceAsStream(DEMO_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "bundled demo file " + DEMO_RESOURCE + " is missing from the jar");
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

  private static CuratorService startCurator(
      EmbeddedBroker broker, Path dir, PrometheusMeterRegistry registry)
      throws InterruptedException {
    CuratorConfig config =
        CuratorConfig.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                CuratorConfig.STATE_DIR_CONFIG, dir.resolve("curator-state").toString(),
                // A demo-sized stream needs a larger holdout than production's 10% for the gate's
                // paired interval to mean something.
                CuratorConfig.HOLDOUT_FRACTION_CONFIG, "0.3"));
    CuratorService curator = CuratorService.start(config, registry);
    curator.awaitRunning(PIPELINE_TIMEOUT);
    return curator;
  }

  private static QuickstartReport.Sent send(int port, String ndjson)
      throws IOException, InterruptedException {
    // The demo goes as one ready-made batch: the sender's line and byte limits are for files.
    BatchSender sender =
        new BatchSender(
            URI.create("http://localhost:" + port),
            Optional.empty(),
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            Duration.ofSeconds(60),
            0);
    BatchSender.Response response = sender.post(ndjson.getBytes(StandardCharsets.UTF_8));
    return QuickstartReport.Sent.of(ndjson, response.status(), response.body());
  }

  static String json(org.apache.avro.generic.IndexedRecord record) {
    return AvroJson.toJson(record).toPrettyString();
  }
}
