package io.sluice.app.config;

import io.sluice.config.ConfigDocs;
import io.sluice.curator.CuratorConfig;
import io.sluice.evaluator.EvaluatorConfig;
import io.sluice.ingest.IngestConfig;
import io.sluice.trainer.TrainerConfig;
import io.sluice.ui.UiConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice config docs}: the configuration reference's tables, generated from the services'
 * own definitions. {@code --write FILE} updates docs/configuration.md in place; {@code --check
 * FILE} fails when the committed file differs (the build runs the same check as a test).
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Configuration tools.",
    subcommands = {ConfigCommand.Docs.class})
public final class ConfigCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Every service's table, keyed by the section name used in docs/configuration.md. */
  public static Map<String, String> tables() {
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put("ingest", ConfigDocs.table(IngestConfig.CONFIG_DEF, Set.of()));
    tables.put("curator", ConfigDocs.table(CuratorConfig.CONFIG_DEF, Set.of()));
    tables.put("trainer", ConfigDocs.table(TrainerConfig.CONFIG_DEF, TrainerConfig.TRACK_KEYS));
    tables.put("evaluator", ConfigDocs.table(EvaluatorConfig.CONFIG_DEF, Set.of()));
    tables.put("ui", ConfigDocs.table(UiConfig.CONFIG_DEF, Set.of()));
    return tables;
  }

  /** {@code document} with every service's table regenerated. */
  public static String regenerate(String document) {
    String updated = document;
    for (Map.Entry<String, String> table : tables().entrySet()) {
      updated = ConfigDocs.replaceSection(updated, table.getKey(), table.getValue());
    }
    return updated;
  }

  @Command(
      name = "docs",
      mixinStandardHelpOptions = true,
      description =
          "Print the configuration tables, or update (--write) or check (--check) a"
              + " Markdown file that holds them between <!-- config:NAME --> markers.")
  static final class Docs implements Callable<Integer> {

    @Option(names = "--write", paramLabel = "FILE", description = "Regenerate the tables in FILE.")
    Path write;

    @Option(
        names = "--check",
        paramLabel = "FILE",
        description = "Exit 1, naming the stale sections, when FILE's tables differ.")
    Path check;

    @Override
    public Integer call() throws IOException {
      if (write == null && check == null) {
        tables().forEach((name, table) -> System.out.println("## " + name + "\n\n" + table));
        return 0;
      }
      Path file = write != null ? write : check;
      String document = Files.readString(file, StandardCharsets.UTF_8);
      String regenerated = regenerate(document);
      if (write != null) {
        Files.writeString(file, regenerated, StandardCharsets.UTF_8);
        return 0;
      }
      if (!regenerated.equals(document)) {
        System.err.println(
            file
                + " is out of date with the services' settings: run"
                + " `sluice config docs --write "
                + file
                + "`");
        return 1;
      }
      return 0;
    }
  }
}
