package io.sluice.app.ingest;

import io.sluice.app.KafkaOptions;
import io.sluice.config.Settings;
import io.sluice.ingest.IngestConfig;
import io.sluice.ingest.IngestServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice ingest}: runs the HTTP ingest service until the process is stopped. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Run the HTTP ingest service: native events and OpenAI JSONL into sluice.events.raw.")
public final class IngestCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default 8080; 0 picks one).")
  Integer port;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (.properties or .yaml); see docs/configuration.md#ingest.")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A setting, e.g. --set ingest.max.batch.lines=5000; repeatable; wins over --config.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    IngestConfig config = IngestConfig.load(Optional.ofNullable(configFile), System.getenv(), overrides());
    CountDownLatch stopped = new CountDownLatch(1);
    IngestServer server = IngestServer.start(config);
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
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    kafka.clientProperties().forEach((key, value) -> {
      if (!key.equals("bootstrap.servers")) {
        overrides.put(Settings.KAFKA_PREFIX + key, String.valueOf(value));
      }
    });
    overrides.put(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    if (port != null) {
      overrides.put(IngestConfig.PORT_CONFIG, Integer.toString(port));
    }
    return overrides;
  }
}
