package io.sluice.app.evaluator;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.app.ServiceOptions;
import io.sluice.config.MetricsEndpoint;
import io.sluice.config.ServiceMeters;
import io.sluice.evaluator.EvaluatorConfig;
import io.sluice.evaluator.EvaluatorService;
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

  @Option(
      names = "--adapter-store",
      paramLabel = "DIR",
      description = "Adapter store; sets evaluator.adapter.store.")
  Path adapterStore;

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description = "Base model directory; sets evaluator.base.dir (default: the bundled model).")
  Path base;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException, IOException {
    Map<String, String> overrides =
        options.overrides(
            EvaluatorConfig.BOOTSTRAP_SERVERS_CONFIG, EvaluatorConfig.INSTANCE_ID_CONFIG);
    if (adapterStore != null) {
      overrides.put(EvaluatorConfig.ADAPTER_STORE_CONFIG, adapterStore.toString());
    }
    if (base != null) {
      overrides.put(EvaluatorConfig.BASE_DIR_CONFIG, base.toString());
    }
    EvaluatorConfig config = EvaluatorConfig.load(options.configFile(), System.getenv(), overrides);
    PrometheusMeterRegistry registry = ServiceMeters.processRegistry();
    EvaluatorService evaluator = EvaluatorService.start(config, registry, null);
    MetricsEndpoint endpoint;
    try {
      endpoint = MetricsEndpoint.start(config.metricsPort(), registry, evaluator::isReady);
    } catch (IOException e) {
      evaluator.close();
      throw new IOException(
          "cannot serve metrics on port "
              + config.metricsPort()
              + " ("
              + EvaluatorConfig.METRICS_PORT_CONFIG
              + "): "
              + e.getMessage(),
          e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "evaluator metrics: http://localhost:%d/metrics (also /healthz, /readyz)%n",
            endpoint.port());
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  endpoint.close();
                  evaluator.close();
                  stopped.countDown();
                },
                "evaluator-shutdown"));
    // The service thread stops only on a fatal error (fenced by another evaluator, lost
    // authorization); the process then exits non-zero so a supervisor restarts it.
    while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
      if (evaluator.failure() != null && !evaluator.isReady()) {
        spec.commandLine().getErr().println("sluice evaluator: stopped: " + evaluator.failure());
        return 1; // the shutdown hook closes the endpoint and the service on exit
      }
    }
    return 0;
  }
}
