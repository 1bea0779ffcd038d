package io.sluice.app.curator;

import io.sluice.curator.CurateSummary;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.OfflineCurator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice curate}: the curator topology over a JSONL file, no broker needed, to try rules on
 * one's own data before going live.
 */
@Command(
    name = "curate",
    mixinStandardHelpOptions = true,
    description = "Curate a JSONL file of native events offline and print a summary.")
public final class CurateCommand implements Callable<Integer> {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "JSONL file of native events.")
  Path input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "Curated records, one JSON line each.")
  Path output;

  @Option(
      names = "--rejected",
      required = true,
      paramLabel = "FILE",
      description = "Rejected records, one JSON line each.")
  Path rejected;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (.properties or .yaml); see docs/configuration.md#curator.")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting, e.g. --set curator.filter.min.answer.chars=5; repeatable; wins over --config.")
  Map<String, String> settings = new LinkedHashMap<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())
        || input.toAbsolutePath().normalize().equals(rejected.toAbsolutePath().normalize())
        || output.toAbsolutePath().normalize().equals(rejected.toAbsolutePath().normalize())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--input, --output and --rejected must be three different files");
    }
    CuratorConfig config =
        CuratorConfig.load(Optional.ofNullable(configFile), System.getenv(), settings);
    // One instant for the whole run: events without a timestamp all get the run's start time.
    Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    CurateSummary summary = new OfflineCurator(config, clock).run(input, output, rejected);
    PrintWriter out = spec.commandLine().getOut();
    out.print(summary.render());
    out.flush();
    return 0;
  }
}
