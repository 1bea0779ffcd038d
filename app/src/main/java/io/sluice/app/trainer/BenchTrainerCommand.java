package io.sluice.app.trainer;

import io.sluice.bench.trainer.TrainerBenchmark;
import io.sluice.broker.EmbeddedBroker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice bench trainer}: curated topic to published candidates on the default model. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description =
        "Examples/s from the curated topic to published candidates on the default model, and the median"
            + " time from a window's last example to its candidate.")
public final class BenchTrainerCommand implements Callable<Integer> {

  @Option(
      names = "--tracks",
      defaultValue = "2",
      description = "Tracks (default ${DEFAULT-VALUE}).")
  int tracks;

  @Option(
      names = "--window",
      defaultValue = "64",
      description = "Examples per window (default ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--windows-per-track",
      defaultValue = "2",
      description = "Windows per track (default ${DEFAULT-VALUE}).")
  int windowsPerTrack;

  @Option(
      names = "--epochs",
      defaultValue = "2",
      description = "Epochs per run (default ${DEFAULT-VALUE}).")
  int epochs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (tracks < 1 || window < 1 || windowsPerTrack < 1 || epochs < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "every option must be at least 1");
    }
    Path dir = Files.createTempDirectory("sluice-bench-trainer");
    TrainerBenchmark.Result result;
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      result =
          TrainerBenchmark.run(
              broker.bootstrapServers(),
              dir.resolve("adapters"),
              tracks,
              window,
              windowsPerTrack,
              epochs);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%d examples in %d windows (%d tracks x %d windows of %d, %d epochs, rehearsal and replay on)%n",
        result.examples(), result.windows(), tracks, windowsPerTrack, window, epochs);
    out.printf(
        "throughput: %.1f examples/s from the first curated record to the last candidate (%.1f s)%n",
        result.examplesPerSecond(), result.seconds());
    out.printf(
        "window latency: median %.1f s from a window's last example to its candidate (all: %s)%n",
        result.medianWindowLatency(),
        result.windowLatencies().stream().map(s -> String.format("%.1f", s)).toList());
    out.flush();
    return 0;
  }
}
