package io.sluice.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that print ratios measured in one run; speed targets live here, not in tests. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print its figures (ingest, curator, train, trainer, eval).",
    subcommands = {
      io.sluice.app.ingest.BenchIngestCommand.class,
      io.sluice.app.model.BenchTrainCommand.class,
      io.sluice.app.curator.BenchCuratorCommand.class,
      io.sluice.app.evaluator.BenchEvalCommand.class,
      io.sluice.app.trainer.BenchTrainerCommand.class
    })
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
