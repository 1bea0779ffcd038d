package io.sluice.app.curator;

import io.sluice.bench.curator.CuratorBenchmark;
import io.sluice.broker.EmbeddedBroker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bench curator}: curated throughput with every stage on vs a pass-through topology
 * on the same embedded broker, in one run.
 */
@Command(
    name = "curator",
    mixinStandardHelpOptions = true,
    description =
        "Events/s through the full curator vs a pass-through topology, and their ratio (goal >= 0.5).")
public final class BenchCuratorCommand implements Callable<Integer> {

  @Option(
      names = "--events",
      defaultValue = "100000",
      description = "Generated events (default ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description =
          "Measured back-to-back pairs of runs, after one warm-up pair (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description =
          "Stream threads of BOTH topologies (default ${DEFAULT-VALUE}; the raw topic has 6 partitions).")
  int threads;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (events < 1 || rounds < 1 || threads < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "need --events >= 1, --rounds >= 1 and --threads >= 1");
    }
    Path dataDir = Files.createTempDirectory("sluice-bench-curator");
    CuratorBenchmark.Result result;
    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir.resolve("broker"), 0)) {
      result =
          CuratorBenchmark.run(
              broker.bootstrapServers(), events, rounds, threads, dataDir.resolve("state"));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "events: %d (with PII and ~10%% duplicates; exactly-once, same broker, %d stream thread(s) each)%n",
        result.events(), threads);
    out.printf(
        "curator (all stages): %,.0f events/s (best of %d)%n",
        result.curatorEventsPerSecond(), rounds);
    out.printf(
        "pass-through:         %,.0f events/s (best of %d)%n",
        result.passThroughEventsPerSecond(), rounds);
    out.printf("per round, curator:      %s events/s%n", rounded(result.curatorRounds()));
    out.printf("per round, pass-through: %s events/s%n", rounded(result.passThroughRounds()));
    out.printf(
        "per-round ratios: %s%n",
        result.ratios().stream().map(r -> String.format("%.2f", r)).toList());
    out.printf("ratio (median): %.2f (goal >= 0.50)%n", result.ratio());
    out.flush();
    return 0;
  }

  private static List<String> rounded(List<Double> eventsPerSecond) {
    return eventsPerSecond.stream().map(r -> String.format("%,.0f", r)).toList();
  }
}
