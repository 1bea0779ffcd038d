package io.sluice.app.evaluator;

import io.sluice.app.ModelStoreOptions;
import io.sluice.app.ServiceOptions;
import io.sluice.evaluator.EvaluatorConfig;
import io.sluice.evaluator.EvaluatorService;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice evaluator}: runs the evaluator service until the process is stopped. */
@Command(
    name = "evaluator",
    mixinStandardHelpOptions = true,
    description =
        "Run the evaluator: sluice.adapters.candidates -> load check, serving lint, domain holdout and general"
            + " suite scores of candidate, champion and base, promotion gate -> sluice.adapters.evaluations,"
            + " .decisions and .registry (one transaction per candidate).")
public final class EvaluatorCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Mixin ModelStoreOptions model;

  @Override
  public Integer call() throws InterruptedException, IOException {
    Map<String, String> overrides =
        options.overrides(
            EvaluatorConfig.BOOTSTRAP_SERVERS_CONFIG, EvaluatorConfig.INSTANCE_ID_CONFIG);
    model.putInto(overrides, EvaluatorConfig.ADAPTER_STORE_CONFIG, EvaluatorConfig.BASE_DIR_CONFIG);
    EvaluatorConfig config = EvaluatorConfig.load(options.configFile(), System.getenv(), overrides);
    EvaluatorService evaluator = EvaluatorService.start(config, options.registry(), null);
    CountDownLatch stopped =
        options.serveMetricsUntilStopped(
            config.metricsPort(),
            EvaluatorConfig.METRICS_PORT_CONFIG,
            evaluator::isReady,
            evaluator::close);
    // The service thread stops only on a fatal error (fenced by another evaluator, lost
    // authorization); the process then exits non-zero so a supervisor restarts it.
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      if (evaluator.failure() != null && !evaluator.isReady()) {
        options.err().println("sluice evaluator: stopped: " + evaluator.failure());
        return 1; // the shutdown hook closes the endpoint and the service on exit
      }
    }
    return 0;
  }
}
