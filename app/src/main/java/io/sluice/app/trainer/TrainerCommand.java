package io.sluice.app.trainer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.app.ServiceOptions;
import io.sluice.config.MetricsEndpoint;
import io.sluice.config.ServiceMeters;
import io.sluice.trainer.TrainerConfig;
import io.sluice.trainer.TrainerService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice trainer}: the trainer service against any Kafka cluster. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description =
        "Run the trainer: sluice.examples.curated (train split) -> a LoRA adapter per full window of each"
            + " tenant/track in the adapter store -> sluice.adapters.candidates, exactly once.")
public final class TrainerCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Spec CommandSpec spec;

  @Option(
      names = "--adapter-store",
      paramLabel = "DIR",
      description = "Adapter store directory (trainer.adapter.store).")
  Path adapterStore;

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description = "Base model directory (trainer.base.dir; default: the bundled sluice-tiny).")
  Path base;

  @Option(
      names = "--device",
      paramLabel = "auto|cpu|cuda",
      description = "Where training runs (trainer.device).")
  String device;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Map<String, String> overrides =
        options.overrides(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, TrainerConfig.INSTANCE_ID_CONFIG);
    if (adapterStore != null) {
      overrides.put(TrainerConfig.ADAPTER_STORE_CONFIG, adapterStore.toString());
    }
    if (base != null) {
      overrides.put(TrainerConfig.BASE_DIR_CONFIG, base.toString());
    }
    if (device != null) {
      overrides.put(TrainerConfig.DEVICE_CONFIG, device);
    }
    TrainerConfig config = TrainerConfig.load(options.configFile(), System.getenv(), overrides);
    PrometheusMeterRegistry registry = ServiceMeters.processRegistry();
    TrainerService trainer = TrainerService.start(config, registry, null);
    MetricsEndpoint endpoint;
    try {
      endpoint = MetricsEndpoint.start(config.metricsPort(), registry, trainer::isReady);
    } catch (IOException e) {
      trainer.close();
      throw new IOException(
          "cannot serve metrics on port "
              + config.metricsPort()
              + " ("
              + TrainerConfig.METRICS_PORT_CONFIG
              + "): "
              + e.getMessage(),
          e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "trainer metrics: http://localhost:%d/metrics (also /healthz, /readyz)%n",
            endpoint.port());
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  endpoint.close();
                  trainer.close();
                  stopped.countDown();
                },
                "trainer-shutdown"));
    stopped.await();
    return 0;
  }
}
