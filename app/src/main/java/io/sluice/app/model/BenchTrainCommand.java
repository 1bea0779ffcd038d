package io.sluice.app.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.Devices;
import io.sluice.model.TrainBench;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice bench train}: LoRA SFT speed against this machine's matmul ceiling. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Measure the fp32 matmul ceiling, then LoRA SFT steps on a random model of SmolLM2-135M's shape; "
        + "prints tokens/s, achieved GFLOP/s and their ratio.")
public final class BenchTrainCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--batch-size", defaultValue = "4", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seq-len", defaultValue = "256", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  int sequenceLength;

  @Option(names = "--steps", defaultValue = "3", description = "Measured steps after one warm-up (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--json", description = "End with one JSON line of the figures.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TrainBench.Options d = TrainBench.Options.smolLm2Shape();
    TrainBench.Options options = new TrainBench.Options(d.config(), d.matmulSizes(), batchSize, sequenceLength, 1, steps, d.seed());
    TrainBench.Result r = TrainBench.run(options, Devices.preferred());
    var out = spec.commandLine().getOut();
    out.printf("device %s: matmul ceiling %.1f GFLOP/s; LoRA SFT %.1f tokens/s = %.1f GFLOP/s (ratio %.2f), %.2f s/step, peak RSS %d MB%n",
        r.device(), r.matmulGflops(), r.tokensPerSecond(), r.achievedGflops(), r.ratio(), r.secondsPerStep(), r.peakRssMb());
    if (json) {
      ObjectNode node = ModelSupport.JSON.createObjectNode();
      node.put("tokens_per_second", r.tokensPerSecond());
      node.put("achieved_gflops", r.achievedGflops());
      node.put("matmul_gflops", r.matmulGflops());
      node.put("ratio", r.ratio());
      node.put("peak_rss_mb", r.peakRssMb());
      out.println(ModelSupport.JSON.writeValueAsString(node));
    }
    out.flush();
    return 0;
  }
}
