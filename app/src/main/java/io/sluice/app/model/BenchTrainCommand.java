package io.sluice.app.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.bench.model.TrainBench;
import io.sluice.model.Devices;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice bench train}: LoRA SFT speed against this machine's matmul ceiling. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Measure the fp32 matmul ceiling, then LoRA SFT steps on a random model of SmolLM2-135M's shape, "
            + "each configuration (default, activation checkpointing, long sequences) in a child JVM of its own; "
            + "prints tokens/s, achieved GFLOP/s, their ratio and the peak RSS of each configuration.")
public final class BenchTrainCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--batch-size",
      defaultValue = "4",
      description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--seq-len",
      defaultValue = "256",
      description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  int sequenceLength;

  @Option(
      names = "--steps",
      defaultValue = "3",
      description = "Measured steps after one warm-up (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--long-seq-len",
      defaultValue = "1024",
      description =
          "Tokens per sequence of the long-sequence runs, with as many sequences per step as keep the "
              + "tokens per step; 0 skips them (default: ${DEFAULT-VALUE}).")
  int longSequenceLength;

  @Option(names = "--json", description = "End with one JSON line of the figures.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TrainBench.Options d = TrainBench.Options.smolLm2Shape();
    TrainBench.Options options =
        new TrainBench.Options(
            d.config(), d.matmulSizes(), batchSize, sequenceLength, 1, steps, d.seed());
    TrainBench.Result r = TrainBench.run(options, Devices.preferred(), true, longSequenceLength);
    var out = spec.commandLine().getOut();
    out.printf(
        "device %s: matmul ceiling %.1f GFLOP/s; LoRA SFT %.1f tokens/s = %.1f GFLOP/s (ratio %.2f), %.2f s/step, peak RSS %d MB%n",
        r.device(),
        r.matmulGflops(),
        r.tokensPerSecond(),
        r.achievedGflops(),
        r.ratio(),
        r.secondsPerStep(),
        r.peakRssMb());
    out.printf(
        "with activation checkpointing: %.1f tokens/s (%.0f%% of default), peak RSS %d MB%n",
        r.checkpointed().tokensPerSecond(),
        100 * r.checkpointed().tokensPerSecond() / r.tokensPerSecond(),
        r.checkpointed().peakRssMb());
    if (r.longSequence() != null) {
      out.printf(
          "sequence %d: %.1f tokens/s, peak RSS %d MB; checkpointed %.1f tokens/s, peak RSS %d MB%n",
          r.longSequenceLength(),
          r.longSequence().tokensPerSecond(),
          r.longSequence().peakRssMb(),
          r.longSequenceCheckpointed().tokensPerSecond(),
          r.longSequenceCheckpointed().peakRssMb());
    }
    if (json) {
      ObjectNode node = ModelSupport.JSON.createObjectNode();
      node.put("tokens_per_second", r.tokensPerSecond());
      node.put("achieved_gflops", r.achievedGflops());
      node.put("matmul_gflops", r.matmulGflops());
      node.put("ratio", r.ratio());
      node.put("seconds_per_step", r.secondsPerStep());
      node.put("peak_rss_mb", r.peakRssMb());
      node.put("peak_rss_mb_checkpointed", r.checkpointed().peakRssMb());
      node.put("tokens_per_second_checkpointed", r.checkpointed().tokensPerSecond());
      if (r.longSequence() != null) {
        ObjectNode longRun = node.putObject("long_sequence");
        longRun.put("seq_len", r.longSequenceLength());
        longRun.put("batch_size", Math.max(1, batchSize * sequenceLength / r.longSequenceLength()));
        longRun.put("tokens_per_second", r.longSequence().tokensPerSecond());
        longRun.put("peak_rss_mb", r.longSequence().peakRssMb());
        longRun.put(
            "tokens_per_second_checkpointed", r.longSequenceCheckpointed().tokensPerSecond());
        longRun.put("peak_rss_mb_checkpointed", r.longSequenceCheckpointed().peakRssMb());
      }
      out.println(ModelSupport.JSON.writeValueAsString(node));
    }
    out.flush();
    return 0;
  }
}
