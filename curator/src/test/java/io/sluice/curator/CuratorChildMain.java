package io.sluice.curator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The curator as a separate process, for {@link CuratorKillTest}: that test kills it with {@code
 * destroyForcibly()} (SIGKILL), which no close hook, flush or transaction abort survives, unlike
 * {@link CuratorService#close()} in the same JVM.
 *
 * <p>Arguments: {@code KEY=VALUE} curator settings. Prints {@value #RUNNING} once processing.
 */
public final class CuratorChildMain {

  static final String RUNNING = "CURATOR-CHILD-RUNNING";

  private CuratorChildMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      settings.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    CuratorService curator =
        CuratorService.start(
            CuratorConfig.load(Optional.empty(), Map.of(), settings), new SimpleMeterRegistry());
    curator.awaitRunning(Duration.ofSeconds(60));
    System.out.println(RUNNING);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until killed
  }
}
