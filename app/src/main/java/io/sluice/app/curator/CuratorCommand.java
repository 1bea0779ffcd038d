package io.sluice.app.curator;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.app.ServiceOptions;
import io.sluice.config.MetricsEndpoint;
import io.sluice.config.ServiceMeters;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.CuratorService;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice curator}: runs the curator Streams app until the process is stopped. */
@Command(
    name = "curator",
    mixinStandardHelpOptions = true,
    description =
        "Run the curator: sluice.events.raw -> validate, convert feedback, anonymize, filter,"
            + " deduplicate, split -> sluice.examples.curated and sluice.events.rejected.")
public final class CuratorCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException, IOException {
    CuratorConfig config =
        CuratorConfig.load(
            options.configFile(),
            System.getenv(),
            options.overrides(
                CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, CuratorConfig.INSTANCE_ID_CONFIG));
    CountDownLatch stopped = new CountDownLatch(1);
    PrometheusMeterRegistry registry = ServiceMeters.processRegistry();
    CuratorService curator = CuratorService.start(config, registry);
    MetricsEndpoint endpoint;
    try {
      endpoint = MetricsEndpoint.start(config.metricsPort(), registry, curator::isReady);
    } catch (IOException e) {
      curator.close();
      throw new IOException(
          "cannot serve metrics on port "
              + config.metricsPort()
              + " ("
              + CuratorConfig.METRICS_PORT_CONFIG
              + "): "
              + e.getMessage(),
          e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "curator metrics: http://localhost:%d/metrics (also /healthz, /readyz)%n",
            endpoint.port());
    spec.commandLine().getOut().flush();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  endpoint.close();
                  curator.close();
                  stopped.countDown();
                },
                "curator-shutdown"));
    curator.awaitRunning(Duration.ofMinutes(5));
    stopped.await();
    return 0;
  }
}
