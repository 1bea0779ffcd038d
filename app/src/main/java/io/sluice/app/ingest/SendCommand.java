package io.sluice.app.ingest;

import io.sluice.ingest.BatchSender;
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

/** {@code sluice send FILE}: POSTs a native JSONL file to an ingest service in batches. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send a native JSONL file to an ingest service, batch by batch, in file order.")
public final class SendCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "Native events, one JSON object per line.")
  Path file;

  @Option(names = "--url", required = true, description = "Ingest service, e.g. http://localhost:8080.")
  URI url;

  @Option(names = "--api-key", paramLabel = "KEY", description = "Sent as 'Authorization: Bearer KEY'.")
  String apiKey;

  @Option(
      names = "--batch-lines",
      defaultValue = "1000",
      description = "Lines per request (default ${DEFAULT-VALUE}; the server allows ingest.max.batch.lines).")
  int batchLines;

  @Option(
      names = "--batch-bytes",
      defaultValue = "8388608",
      description = "Bytes per request (default ${DEFAULT-VALUE}; the server allows ingest.max.batch.bytes).")
  int batchBytes;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "120",
      description = "Longest wait for one batch's answer (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--retries",
      defaultValue = "5",
      description = "Times one batch is sent again after a 503, which means nothing of it was written; waits the server's Retry-After (at most 30 s) between attempts (default ${DEFAULT-VALUE}).")
  int retries;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(file)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
    }
    if (batchLines < 1 || batchBytes < 1 || retries < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--batch-lines and --batch-bytes must be at least 1, --retries at least 0");
    }
    BatchSender sender =
        new BatchSender(
            url, Optional.ofNullable(apiKey), batchLines, batchBytes, Duration.ofSeconds(timeoutSeconds), retries);
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
}
