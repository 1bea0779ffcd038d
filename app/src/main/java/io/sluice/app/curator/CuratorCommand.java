package io.sluice.app.curator;

import io.micrometer.core.instrument.Metrics;
import io.sluice.app.KafkaOptions;
import io.sluice.config.Settings;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.CuratorService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice curator}: runs the curator Streams app until the process is stopped. */
@Command(
    name = "curator",
    mixinStandardHelpOptions = true,
    description =
        "Run the curator: sluice.events.raw -> validate, convert feedback, anonymize, filter,"
            + " deduplicate, split -> sluice.examples.curated and sluice.events.rejected.")
public final class CuratorCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (.properties or .yaml); see docs/configuration.md#curator.")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A setting, e.g. --set curator.split.holdout.fraction=0.2; repeatable; wins over --config.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    CuratorConfig config = CuratorConfig.load(Optional.ofNullable(configFile), System.getenv(), overrides());
    CountDownLatch stopped = new CountDownLatch(1);
    CuratorService curator = CuratorService.start(config, Map.of(), Metrics.globalRegistry);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  curator.close();
                  stopped.countDown();
                },
                "curator-shutdown"));
    curator.awaitRunning(Duration.ofMinutes(5));
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
    overrides.put(CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return overrides;
  }
}
