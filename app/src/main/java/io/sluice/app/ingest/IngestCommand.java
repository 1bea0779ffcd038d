package io.sluice.app.ingest;

import io.sluice.app.ServiceOptions;
import io.sluice.config.ServiceMeters;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice ingest}: runs the HTTP ingest service until the process is stopped. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Run the HTTP ingest service: native events and OpenAI JSONL into sluice.events.raw.")
public final class IngestCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "HTTP port (default 8080; 0 picks one).")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    IngestConfig config = IngestConfig.load(options.configFile(), System.getenv(), overrides());
    CountDownLatch stopped = new CountDownLatch(1);
    IngestServer server = IngestServer.start(config, ServiceMeters.processRegistry());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "ingest-shutdown"));
    stopped.await();
    return 0;
  }

  private Map<String, String> overrides() {
    Map<String, String> overrides =
        options.overrides(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, IngestConfig.INSTANCE_ID_CONFIG);
    if (port != null) {
      overrides.put(IngestConfig.PORT_CONFIG, Integer.toString(port));
    }
    return overrides;
  }
}
