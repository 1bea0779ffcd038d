package io.sluice.bench.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.Devices;
import io.sluice.model.LlamaConfig;
import io.sluice.model.LlamaModel;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.model.lora.LoraConfig;
import io.sluice.model.train.AdamW;
import io.sluice.model.train.Losses;
import io.sluice.model.train.SequenceBatch;
import io.sluice.model.train.TrainingPass;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Measures LoRA SFT training speed against the machine's own matmul ceiling, in one run.
 *
 * <p>FLOPs are counted per trained token as {@code 4·N + 12·L·T·d}: forward {@code 2N} plus the
 * input-gradient pass {@code 2N} over N = the non-embedding parameters plus the LM head (a real
 * matmul even when tied; the embedding lookup is not compute), and attention's two T×T matmuls,
 * {@code 4·L·T·d} forward and twice that backward (both operands are activations). The frozen base
 * computes no weight gradients; LoRA's own FLOPs (under 1% at r=16) are not counted, which makes
 * the ratio conservative.
 *
 * <p>Both sides are best-of: the fastest measured step against the fastest matmul size, each
 * measured when foreign load on a shared machine interfered least.
 *
 * <p>Peak memory is the process's peak resident set (VmHWM), which never goes down, so each
 * training configuration (default, activation checkpointing, long sequences) runs in a child JVM of
 * its own and reports its own peak.
 */
public final class TrainBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainBench() {}

  /**
   * @param matmulSizes square sizes tried for the ceiling; the best is kept
   * @param batchSize sequences per training step
   * @param sequenceLength tokens per sequence
   * @param checkpointActivations recompute decoder layers in backward (see {@link TrainingPass})
   */
  public record Options(
      LlamaConfig config,
      List<Integer> matmulSizes,
      int batchSize,
      int sequenceLength,
      int warmupSteps,
      int measuredSteps,
      long seed,
      boolean checkpointActivations) {

    public Options(
        LlamaConfig config,
        List<Integer> matmulSizes,
        int batchSize,
        int sequenceLength,
        int warmupSteps,
        int measuredSteps,
        long seed) {
      this(config, matmulSizes, batchSize, sequenceLength, warmupSteps, measuredSteps, seed, false);
    }

    /** SmolLM2-135M's shape: hidden 576, 30 layers, 9 heads / 3 KV heads, MLP 1536, vocab 49152. */
    public static Options smolLm2Shape() {
      LlamaConfig config =
          new LlamaConfig(
              576, 1536, 30, 9, 3, 64, 1e-5, 100000, 2048, 49152, true, 1, List.of(2), false);
      return new Options(config, List.of(512, 1024, 2048), 4, 256, 1, 3, 42);
    }

    public Options with(int sequenceLength, boolean checkpoint) {
      return new Options(
          config,
          matmulSizes,
          batchSize,
          sequenceLength,
          warmupSteps,
          measuredSteps,
          seed,
          checkpoint);
    }

    /** Sequences of {@code sequenceLength} tokens, as many per step as keep the tokens per step. */
    public Options longSequences(int sequenceLength, boolean checkpoint) {
      int batch = Math.max(1, batchSize * this.sequenceLength / sequenceLength);
      return new Options(
          config, matmulSizes, batch, sequenceLength, warmupSteps, measuredSteps, seed, checkpoint);
    }
  }

  /**
   * What one configuration of training steps achieved, and the peak RSS of the process that ran it.
   */
  public record Steps(double tokensPerSecond, double secondsPerStep, long peakRssMb) {}

  /**
   * The figures {@code sluice bench train --json} prints.
   *
   * @param checkpointed the same steps with activation checkpointing
   * @param longSequence default steps at {@code longSequenceLength} tokens per sequence, with as
   *     many sequences per step as keep the tokens per step (1 × 1024 for 4 × 256)
   * @param longSequenceCheckpointed checkpointed steps at {@code longSequenceLength}
   */
  public record Result(
      double tokensPerSecond,
      double achievedGflops,
      double matmulGflops,
      double ratio,
      long peakRssMb,
      double secondsPerStep,
      long flopsPerToken,
      String device,
      Steps checkpointed,
      int longSequenceLength,
      Steps longSequence,
      Steps longSequenceCheckpointed) {}

  /**
   * Runs the whole benchmark: the matmul ceiling here, each training configuration in a child JVM
   * (or in this process when {@code childProcesses} is false, as tests do; then the peaks are this
   * process's and only the first is meaningful).
   *
   * @param longSequenceLength 0 to skip the long-sequence runs
   */
  public static Result run(
      Options options, Device device, boolean childProcesses, int longSequenceLength)
      throws IOException, InterruptedException {
    // Measured before and after training and the best kept: on a shared machine a burst of
    // foreign load during one measurement would otherwise inflate the ratio.
    double matmulBefore = matmulCeiling(options.matmulSizes(), device);
    Steps plain = measure(options.with(options.sequenceLength(), false), device, childProcesses);
    Steps checkpointed =
        measure(options.with(options.sequenceLength(), true), device, childProcesses);
    Steps longPlain = null;
    Steps longCheckpointed = null;
    if (longSequenceLength > 0) {
      longPlain = measure(options.longSequences(longSequenceLength, false), device, childProcesses);
      longCheckpointed =
          measure(options.longSequences(longSequenceLength, true), device, childProcesses);
    }
    double matmul = Math.max(matmulBefore, matmulCeiling(options.matmulSizes(), device));
    long flopsPerToken = flopsPerToken(options.config(), options.sequenceLength());
    double achieved = plain.tokensPerSecond() * flopsPerToken / 1e9;
    return new Result(
        plain.tokensPerSecond(),
        achieved,
        matmul,
        achieved / matmul,
        plain.peakRssMb(),
        plain.secondsPerStep(),
        flopsPerToken,
        device.toString(),
        checkpointed,
        longSequenceLength,
        longPlain,
        longCheckpointed);
  }

  private static Steps measure(Options options, Device device, boolean childProcess)
      throws IOException, InterruptedException {
    return childProcess ? stepsInChildProcess(options) : steps(options, device);
  }

  /** LoRA SFT steps on a random model of the options' shape, in this process. */
  public static Steps steps(Options options, Device device) throws IOException {
    LlamaConfig c = options.config();
    try (LlamaModel model = LlamaModel.random(c, options.seed(), device);
        LoraAdapter adapter = LoraAdapter.create(model, LoraConfig.defaults(), options.seed())) {
      model.setBaseTrainable(false);
      adapter.setTrainable(true);
      AdamW optimizer = AdamW.standard(adapter.parameters(), 0);
      Random random = new Random(options.seed());
      List<TokenizedExample> examples = new ArrayList<>();
      for (int i = 0; i < options.batchSize(); i++) {
        long[] ids = new long[options.sequenceLength() + 1];
        for (int j = 0; j < ids.length; j++) {
          ids[j] = random.nextInt(c.vocabSize());
        }
        // loss on every token after the first: the whole sequence is "answer", as in packed SFT
        examples.add(new TokenizedExample(ids, 1));
      }
      double bestStep = Double.MAX_VALUE;
      for (int step = 0; step < options.warmupSteps() + options.measuredSteps(); step++) {
        long start = System.nanoTime();
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          SequenceBatch batch = SequenceBatch.of(examples, 0, model.manager());
          Losses.sftBackward(model, adapter, batch, options.checkpointActivations(), 1f);
        }
        optimizer.step(1e-4, 1.0);
        if (step >= options.warmupSteps()) {
          bestStep = Math.min(bestStep, (System.nanoTime() - start) / 1e9);
        }
      }
      long tokensPerStep = (long) options.batchSize() * options.sequenceLength();
      return new Steps(tokensPerStep / bestStep, bestStep, peakRssMb());
    }
  }

  /**
   * {@link #steps} in a fresh JVM with this one's class path and system properties, so its peak RSS
   * is its own.
   */
  static Steps stepsInChildProcess(Options options) throws IOException, InterruptedException {
    LlamaConfig c = options.config();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-D") || arg.startsWith("-X")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            TrainBench.class.getName(),
            JSON.writeValueAsString(
                new ChildRequest(
                    c.toJson(),
                    options.batchSize(),
                    options.sequenceLength(),
                    options.warmupSteps(),
                    options.measuredSteps(),
                    options.seed(),
                    options.checkpointActivations()))));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int exit = process.waitFor();
    String[] lines = output.strip().split("\n");
    if (exit != 0 || lines.length == 0 || !lines[lines.length - 1].startsWith("{")) {
      throw new IOException("benchmark child process exited with " + exit + ": " + output);
    }
    return JSON.readValue(lines[lines.length - 1], Steps.class);
  }

  /** What a child process is asked to run. */
  record ChildRequest(
      String config,
      int batchSize,
      int sequenceLength,
      int warmupSteps,
      int measuredSteps,
      long seed,
      boolean checkpointActivations) {}

  /** Child-process entry point: runs {@link #steps} and prints its figures as one JSON line. */
  public static void main(String[] args) throws Exception {
    ChildRequest request = JSON.readValue(args[0], ChildRequest.class);
    LlamaConfig config = LlamaConfig.fromJson(JSON.readTree(request.config()), "benchmark config");
    Options options =
        new Options(
            config,
            List.of(),
            request.batchSize(),
            request.sequenceLength(),
            request.warmupSteps(),
            request.measuredSteps(),
            request.seed(),
            request.checkpointActivations());
    Steps steps = steps(options, Devices.preferred());
    System.out.println(JSON.writeValueAsString(steps));
    System.out.flush();
    // libtorch's thread pools can keep a JVM alive after main returns.
    System.exit(0);
  }

  /** {@code 4·(N_nonembedding + N_head) + 12·L·T·(heads·headDim)}; see the class comment. */
  static long flopsPerToken(LlamaConfig c, int sequenceLength) {
    long head = (long) c.vocabSize() * c.hiddenSize();
    long n = c.nonEmbeddingParameters() + (c.tieWordEmbeddings() ? head : 0);
    long attention =
        12L * c.numHiddenLayers() * sequenceLength * c.numAttentionHeads() * c.headDim();
    return 4 * n + attention;
  }

  /** Best fp32 GFLOP/s over square matmuls of the given sizes, each timed for about a second. */
  static double matmulCeiling(List<Integer> sizes, Device device) {
    double best = 0;
    try (NDManager manager = NDManager.newBaseManager(device)) {
      for (int n : sizes) {
        NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
        NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
        a.matMul(b).getFloat(0, 0); // warm-up: thread pools and caches
        int reps = 0;
        long start = System.nanoTime();
        double elapsed;
        do {
          try (NDArray product = a.matMul(b)) {
            product.getFloat(0, 0); // forces completion on asynchronous devices
          }
          reps++;
          elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < 1.0);
        best = Math.max(best, 2.0 * n * n * n * reps / elapsed / 1e9);
      }
    }
    return best;
  }

  /** Peak resident set of this process (VmHWM), or -1 where /proc is unavailable. */
  static long peakRssMb() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }
}
