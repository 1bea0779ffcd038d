package io.sluice.app.ingest;

import io.sluice.app.broker.EmbeddedBroker;
import io.sluice.ingest.IngestBenchmark;
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
    description = "Events/s through POST /v1/events/batch vs a direct producer, and their ratio (goal >= 0.5).")
public final class BenchIngestCommand implements Callable<Integer> {

  @Option(names = "--events", defaultValue = "200000", description = "Events per measurement (default ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--batch-lines", defaultValue = "1000", description = "Events per request (default ${DEFAULT-VALUE}).")
  int batchLines;

  @Option(names = "--clients", defaultValue = "4", description = "Concurrent HTTP clients (default ${DEFAULT-VALUE}).")
  int clients;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (events < batchLines || batchLines < 1 || clients < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "need --events >= --batch-lines >= 1 and --clients >= 1");
    }
    Path dataDir = Files.createTempDirectory("sluice-bench-ingest");
    IngestBenchmark.Result result;
    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, 0)) {
      result = IngestBenchmark.run(broker.bootstrapServers(), events, batchLines, clients);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("events per measurement: %d (batches of %d, %d clients)%n", result.events(), batchLines, clients);
    out.printf("batch endpoint:  %,.0f events/s%n", result.httpEventsPerSecond());
    out.printf("direct producer: %,.0f events/s%n", result.producerEventsPerSecond());
    out.printf("ratio: %.2f (goal >= 0.50)%n", result.ratio());
    out.flush();
    return 0;
  }
}
