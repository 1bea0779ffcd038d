package io.sluice.evaluator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluator as a separate process, for {@link EvaluatorKillTest}: SIGKILL leaves no close hook,
 * transaction abort or flush, unlike {@link EvaluatorService#close()} in the same JVM.
 *
 * <p>Arguments: {@code KEY=VALUE} evaluator settings. Prints {@value #RUNNING} once ready.
 */
public final class EvaluatorChildMain {
  static final String RUNNING = "EVALUATOR-CHILD-RUNNING";

  private EvaluatorChildMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      settings.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    EvaluatorService service =
        EvaluatorService.start(
            EvaluatorConfig.load(Optional.empty(), Map.of(), settings),
            new SimpleMeterRegistry(),
            null);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!service.isReady()) {
      if (System.nanoTime() > deadline || service.failure() != null) {
        throw new IllegalStateException("evaluator did not become ready", service.failure());
      }
      Thread.sleep(100);
    }
    System.out.println(RUNNING);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until killed
  }
}
