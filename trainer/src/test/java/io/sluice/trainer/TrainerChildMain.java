package io.sluice.trainer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The trainer as a separate process, for {@link TrainerKillTest}: SIGKILL (or a halt at a chosen
 * point, {@code -Dsluice.trainer.halt.at=...}) leaves no close hook, flush or abort behind.
 *
 * <p>Arguments: {@code KEY=VALUE} trainer settings. Prints {@value #RUNNING} once assigned.
 */
public final class TrainerChildMain {
  static final String RUNNING = "TRAINER-CHILD-RUNNING";

  private TrainerChildMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      settings.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    TrainerService trainer =
        TrainerService.start(
            TrainerConfig.load(Optional.empty(), Map.of(), settings),
            new SimpleMeterRegistry(),
            null);
    while (!trainer.isReady()) {
      if (trainer.failure().isPresent()) {
        throw new IllegalStateException("trainer failed", trainer.failure().get());
      }
      Thread.sleep(50);
    }
    System.out.println(RUNNING);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until killed
  }
}
