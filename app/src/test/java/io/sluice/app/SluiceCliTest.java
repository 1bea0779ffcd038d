package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SluiceCliTest {

  @Test
  void shouldListEverySubcommandWithADescription() {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));

    assertThat(cli.execute("--help")).isZero();

    for (var entry : cli.getSubcommands().entrySet()) {
      assertThat(out.toString()).contains(entry.getKey());
      assertThat(entry.getValue().getCommandSpec().usageMessage().description())
          .as("description of %s", entry.getKey())
          .isNotEmpty();
    }
  }

  @Test
  void shouldGiveEverySubcommandItsOwnHelp() {
    for (List<String> path : commandPaths(SluiceCli.commandLine(), new ArrayList<>())) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CommandLine cli = SluiceCli.commandLine();
      StringWriter out = new StringWriter();
      cli.setOut(new PrintWriter(out));

      assertThat(cli.execute(args.toArray(String[]::new))).as("sluice %s --help", path).isZero();
      assertThat(out.toString()).as("usage of %s", path).contains("Usage: sluice");
    }
  }

  @Test
  void shouldRejectUnknownTopicForConsume() {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("consume", "--bootstrap-servers", "localhost:1", "--topic", "nope");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown topic 'nope'").contains("sluice.events.raw");
  }

  @Test
  void shouldReportMissingRequiredSettingByNameWithoutAStackTrace() {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("ingest", "--port", "0");

    assertThat(code).isEqualTo(SluiceCli.USER_ERROR_EXIT_CODE);
    assertThat(err.toString())
        .startsWith("sluice ingest: ")
        .contains("ingest.bootstrap.servers")
        .doesNotContain("\tat ");
  }

  @Test
  void shouldReportUnknownSettingByName() {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));

    int code =
        cli.execute(
            "ingest", "--bootstrap-servers", "localhost:1", "--set", "ingest.max.batch.lnes=5");

    assertThat(code).isEqualTo(SluiceCli.USER_ERROR_EXIT_CODE);
    assertThat(err.toString()).contains("ingest.max.batch.lnes").contains("unknown setting");
  }

  @Test
  void shouldRefuseAnInstanceIdForTheUiWhichJoinsNoGroup() {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("ui", "--bootstrap-servers", "localhost:1", "--instance-id", "ui-0");

    assertThat(code).isEqualTo(SluiceCli.USER_ERROR_EXIT_CODE);
    assertThat(err.toString()).startsWith("sluice ui: ").contains("--instance-id does not apply");
  }

  private static List<List<String>> commandPaths(CommandLine command, List<String> prefix) {
    List<List<String>> paths = new ArrayList<>();
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (name.equals("help")) {
                return;
              }
              List<String> path = new ArrayList<>(prefix);
              path.add(name);
              paths.add(path);
              paths.addAll(commandPaths(sub, path));
            });
    return paths;
  }
}
