package io.sluice.app.ingest;

import io.sluice.bench.ingest.BatchSender;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice send FILE}: POSTs a native JSONL file (or, with {@code --format openai}, an OpenAI
 * fine-tuning file for one tenant and track) to an ingest service in batches.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description =
        "Send a native or OpenAI JSONL file to an ingest service, batch by batch, in file order.")
public final class SendCommand implements Callable<Integer> {

  /** What the file's lines are. */
  enum Format {
    NATIVE,
    OPENAI
  }

  @Parameters(index = "0", paramLabel = "FILE", description = "Events, one JSON object per line.")
  Path file;

  @Option(
      names = "--format",
      defaultValue = "native",
      converter = FormatConverter.class,
      description =
          "native (Sluice events, to /v1/events/batch) or openai (OpenAI fine-tuning lines, to"
              + " /v1/import/openai with --tenant and --track); default ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--tenant", description = "--format openai: tenant of the imported events.")
  String tenant;

  @Option(names = "--track", description = "--format openai: track of the imported events.")
  String track;

  @Option(
      names = "--url",
      required = true,
      description = "Ingest service, e.g. http://localhost:8080.")
  URI url;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "Sent as 'Authorization: Bearer KEY'.")
  String apiKey;

  @Option(
      names = "--batch-lines",
      defaultValue = "1000",
      description =
          "Lines per request (default ${DEFAULT-VALUE}; the server allows ingest.max.batch.lines).")
  int batchLines;

  @Option(
      names = "--batch-bytes",
      defaultValue = "8388608",
      description =
          "Bytes per request (default ${DEFAULT-VALUE}; the server allows ingest.max.batch.bytes).")
  int batchBytes;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "120",
      description = "Longest wait for one batch's answer (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--retries",
      defaultValue = "5",
      description =
          "Times one batch is sent again after a 503, which means nothing of it was written; waits"
              + " the server's Retry-After (at most 30 s) between attempts (default"
              + " ${DEFAULT-VALUE}).")
  int retries;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(file)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
    }
    if (batchLines < 1 || batchBytes < 1 || retries < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--batch-lines and --batch-bytes must be at least 1, --retries at least 0");
    }
    BatchSender sender = sender();
    BatchSender.Result result;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("send " + file.getFileName())
            .setInitialMax(Files.size(file))
            .setUnit(" KiB", 1024)
            .build()) {
      result = sender.send(file, bar::stepBy);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("sent %d events in %d batches to %s%n", result.events(), result.batches(), url);
    if (result.failure().isEmpty()) {
      out.flush();
      return 0;
    }
    BatchSender.Failure failure = result.failure().get();
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "batch of lines %d-%d refused with %d: %s%n",
        failure.firstLine(), failure.lastLine(), failure.status(), failure.problem());
    failure.findings().forEach(finding -> err.println("  " + finding));
    err.printf("nothing from line %d on was written%n", failure.firstLine());
    err.flush();
    return 1;
  }

  private BatchSender sender() {
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    if (format == Format.NATIVE) {
      if (tenant != null || track != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--tenant and --track go with --format openai; native events name their own");
      }
      return new BatchSender(
          url, Optional.ofNullable(apiKey), batchLines, batchBytes, timeout, retries);
    }
    if (tenant == null || track == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--format openai needs --tenant and --track: OpenAI lines carry neither");
    }
    return BatchSender.openAiImport(
        url, tenant, track, Optional.ofNullable(apiKey), batchLines, batchBytes, timeout, retries);
  }

  /** Reads {@code native} and {@code openai}, as the help spells them. */
  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a format; use native or openai");
    }
  }
}
