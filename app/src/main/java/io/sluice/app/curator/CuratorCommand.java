package io.sluice.app.curator;

import io.sluice.app.ServiceOptions;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.CuratorService;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice curator}: runs the curator Streams app until the process is stopped. */
@Command(
    name = "curator",
    mixinStandardHelpOptions = true,
    description =
        "Run the curator: sluice.events.raw -> validate, convert feedback, anonymize, filter,"
            + " deduplicate, split -> sluice.examples.curated and sluice.events.rejected.")
public final class CuratorCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Override
  public Integer call() throws InterruptedException, IOException {
    CuratorConfig config =
        CuratorConfig.load(
            options.configFile(),
            System.getenv(),
            options.overrides(
                CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, CuratorConfig.INSTANCE_ID_CONFIG));
    CuratorService curator = CuratorService.start(config, options.registry());
    CountDownLatch stopped =
        options.serveMetricsUntilStopped(
            config.metricsPort(),
            CuratorConfig.METRICS_PORT_CONFIG,
            curator::isReady,
            curator::close);
    curator.awaitRunning(Duration.ofMinutes(5));
    stopped.await();
    return 0;
  }
}
