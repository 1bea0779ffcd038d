package io.sluice.app.ingest;

import io.sluice.app.HttpPortOption;
import io.sluice.app.ServiceOptions;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice ingest}: runs the HTTP ingest service until the process is stopped. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Run the HTTP ingest service: native events and OpenAI JSONL into sluice.events.raw.")
public final class IngestCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Mixin HttpPortOption http;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> overrides =
        options.overrides(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, IngestConfig.INSTANCE_ID_CONFIG);
    http.putInto(overrides, IngestConfig.PORT_CONFIG);
    IngestConfig config = IngestConfig.load(options.configFile(), System.getenv(), overrides);
    IngestServer server = IngestServer.start(config, options.registry());
    options.closeOnShutdown(server::close).await();
    return 0;
  }
}
