package io.sluice.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
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
 * {@code 4·L·T·d} forward and twice that backward (both operands are activations). The frozen
 * base computes no weight gradients; LoRA's own FLOPs (under 1% at r=16) are not counted, which
 * makes the ratio conservative.
 *
 * <p>Both sides are best-of: the fastest measured step against the fastest matmul size, each
 * measured when foreign load on a shared machine interfered least.
 */
public final class TrainBench {
  private TrainBench() {}

  /**
   * @param matmulSizes square sizes tried for the ceiling; the best is kept
   * @param batchSize sequences per training step
   * @param sequenceLength tokens per sequence
   */
  public record Options(LlamaConfig config, List<Integer> matmulSizes, int batchSize, int sequenceLength,
      int warmupSteps, int measuredSteps, long seed) {

    /** SmolLM2-135M's shape: hidden 576, 30 layers, 9 heads / 3 KV heads, MLP 1536, vocab 49152. */
    public static Options smolLm2Shape() {
      LlamaConfig config = new LlamaConfig(576, 1536, 30, 9, 3, 64, 1e-5, 100000, 2048, 49152, true, 1, List.of(2), false);
      return new Options(config, List.of(512, 1024, 2048), 4, 256, 1, 3, 42);
    }
  }

  /** The figures {@code sluice bench train --json} prints. */
  public record Result(double tokensPerSecond, double achievedGflops, double matmulGflops, double ratio, long peakRssMb,
      double secondsPerStep, long flopsPerToken, String device) {}

  public static Result run(Options options, Device device) throws IOException {
    // Measured before and after training and the best kept: on a shared machine a burst of
    // foreign load during one measurement would otherwise inflate the ratio.
    double matmulBefore = matmulCeiling(options.matmulSizes(), device);
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
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = Losses.sft(model, adapter, batch, true);
            collector.backward(loss);
            loss.getFloat();
          }
          optimizer.step(1e-4, 1.0);
        }
        if (step >= options.warmupSteps()) {
          bestStep = Math.min(bestStep, (System.nanoTime() - start) / 1e9);
        }
      }
      double matmul = Math.max(matmulBefore, matmulCeiling(options.matmulSizes(), device));
      double secondsPerStep = bestStep;
      long tokensPerStep = (long) options.batchSize() * options.sequenceLength();
      long flopsPerToken = flopsPerToken(c, options.sequenceLength());
      double tokensPerSecond = tokensPerStep / secondsPerStep;
      double achieved = tokensPerSecond * flopsPerToken / 1e9;
      return new Result(tokensPerSecond, achieved, matmul, achieved / matmul, peakRssMb(), secondsPerStep, flopsPerToken,
          device.toString());
    }
  }

  /** {@code 4·(N_nonembedding + N_head) + 12·L·T·(heads·headDim)}; see the class comment. */
  static long flopsPerToken(LlamaConfig c, int sequenceLength) {
    long head = (long) c.vocabSize() * c.hiddenSize();
    long n = c.nonEmbeddingParameters() + (c.tieWordEmbeddings() ? head : 0);
    long attention = 12L * c.numHiddenLayers() * sequenceLength * c.numAttentionHeads() * c.headDim();
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
