package io.sluice.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/sluice <command>} as its own JVM on this module's classpath, as an operator runs it:
 * configured by flags, a file and the environment, and killed with SIGKILL (no close hook, flush or
 * transaction abort survives that).
 */
final class SluiceProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private SluiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code sluice args...}; its output goes to {@code log}. */
  static SluiceProcess start(Path log, Map<String, String> environment, String... args)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.sluice.app.SluiceCli"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new SluiceProcess(builder.start(), log);
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
    }
  }

  /** The exit code, once it exited by itself within {@code timeout}; else throws with its log. */
  int awaitExit(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + ":\n" + tail());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last 4000 characters of its output. */
  String tail() throws IOException {
    String text = output();
    return text.substring(Math.max(0, text.length() - 4000));
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
