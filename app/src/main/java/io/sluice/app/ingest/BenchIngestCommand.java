package io.sluice.app.ingest;

import io.sluice.bench.ingest.IngestBenchmark;
import io.sluice.broker.EmbeddedBroker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bench ingest}: throughput of the batch endpoint against a direct producer on the
 * same embedded broker, in one run.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Events/s through POST /v1/events/batch vs a direct producer, and their ratio (goal >= 0.5).")
public final class BenchIngestCommand implements Callable<Integer> {

  @Option(
      names = "--events",
      defaultValue = "100000",
      description = "Events per round (default ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--batch-lines",
      defaultValue = "1000",
      description = "Events per request (default ${DEFAULT-VALUE}).")
  int batchLines;

  @Option(
      names = "--clients",
      defaultValue = "8",
      description = "Concurrent HTTP clients (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Alternating rounds of each measurement (default ${DEFAULT-VALUE}).")
  int rounds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (events < batchLines || batchLines < 1 || clients < 1 || rounds < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --events >= --batch-lines >= 1, --clients >= 1 and --rounds >= 1");
    }
    Path dataDir = Files.createTempDirectory("sluice-bench-ingest");
    IngestBenchmark.Result result;
    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, 0)) {
      result = IngestBenchmark.run(broker.bootstrapServers(), events, batchLines, clients, rounds);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "events per round: %d (batches of %d, %d clients, %d rounds each)%n",
        result.events(), batchLines, clients, rounds);
    out.printf("batch endpoint:  %,.0f events/s (best round)%n", result.httpEventsPerSecond());
    out.printf("direct producer: %,.0f events/s (best round)%n", result.producerEventsPerSecond());
    out.printf(
        "ratio: %.2f (median of rounds %s; goal >= 0.50)%n",
        result.ratio(), result.roundRatios().stream().map(r -> String.format("%.2f", r)).toList());
    out.flush();
    return 0;
  }
}
