package io.sluice.app.trainer;

import io.sluice.app.ModelStoreOptions;
import io.sluice.app.ServiceOptions;
import io.sluice.trainer.TrainerConfig;
import io.sluice.trainer.TrainerService;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice trainer}: the trainer service against any Kafka cluster. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description =
        "Run the trainer: sluice.examples.curated (train split) -> a LoRA adapter per full window of each"
            + " tenant/track in the adapter store -> sluice.adapters.candidates, exactly once.")
public final class TrainerCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Mixin ModelStoreOptions model;

  @Option(
      names = "--device",
      paramLabel = "auto|cpu|cuda",
      description = "Where training runs (trainer.device).")
  String device;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Map<String, String> overrides =
        options.overrides(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, TrainerConfig.INSTANCE_ID_CONFIG);
    model.putInto(overrides, TrainerConfig.ADAPTER_STORE_CONFIG, TrainerConfig.BASE_DIR_CONFIG);
    ServiceOptions.putGiven(overrides, TrainerConfig.DEVICE_CONFIG, device);
    TrainerConfig config = TrainerConfig.load(options.configFile(), System.getenv(), overrides);
    TrainerService trainer = TrainerService.start(config, options.registry(), null);
    options
        .serveMetricsUntilStopped(
            config.metricsPort(),
            TrainerConfig.METRICS_PORT_CONFIG,
            trainer::isReady,
            trainer::close)
        .await();
    return 0;
  }
}
