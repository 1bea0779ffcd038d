package io.sluice.app;

import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command: one subcommand per service or tool. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = SluiceCli.Version.class,
    description =
        "Streaming continual learning: curated feedback into safely promoted LoRA adapters.",
    subcommands = {
      CommandLine.HelpCommand.class,
      io.sluice.app.broker.BrokerCommand.class,
      TopicsCommand.class,
      ConsumeCommand.class,
      QuickstartCommand.class,
      BenchCommand.class,
      io.sluice.app.config.ConfigCommand.class,
      io.sluice.app.ingest.IngestCommand.class,
      io.sluice.app.ingest.SendCommand.class,
      io.sluice.app.export.ExportCommand.class,
      io.sluice.app.model.PretrainCommand.class,
      io.sluice.app.model.TrainCommand.class,
      io.sluice.app.model.GenerateCommand.class,
      io.sluice.app.model.EvalCommand.class,
      io.sluice.app.curator.CuratorCommand.class,
      io.sluice.app.curator.CurateCommand.class,
      io.sluice.app.trainer.TrainerCommand.class,
      io.sluice.app.evaluator.EvaluatorCommand.class,
      io.sluice.app.evaluator.AdaptersCommand.class,
      io.sluice.app.ui.UiCommand.class,
    })
public final class SluiceCli implements Runnable {

  /** Exit code of usage and configuration errors, as picocli uses for bad arguments. */
  static final int USER_ERROR_EXIT_CODE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured picocli command line; tests execute commands through it. */
  public static CommandLine commandLine() {
    return new CommandLine(new SluiceCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(SluiceCli::reportUserError);
  }

  /**
   * Bad settings and bad arguments are the user's to fix: one line naming the problem and exit code
   * 2, like a usage error. Anything else is a fault and keeps its stack trace.
   */
  private static int reportUserError(
      Exception error, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
    if (error instanceof ConfigException || error instanceof IllegalArgumentException) {
      command.getErr().println("sluice " + command.getCommandName() + ": " + error.getMessage());
      return USER_ERROR_EXIT_CODE;
    }
    throw error;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = SluiceCli.class.getPackage().getImplementationVersion();
      return new String[] {"sluice " + (version == null ? "development build" : version)};
    }
  }
}
