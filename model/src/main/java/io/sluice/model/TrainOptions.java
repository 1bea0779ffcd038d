package io.sluice.model;

/**
 * Settings of {@link AdapterTrainer#run}.
 *
 * @param batchSize sequences per micro-batch (DPO: pairs per micro-batch)
 * @param gradientAccumulation micro-batches per optimiser step
 * @param maxLength longer examples lose prompt tokens from the left, then answer tokens
 * @param beta DPO's KL strength
 */
public record TrainOptions(
    Objective objective, LoraConfig lora, int epochs, int batchSize, int gradientAccumulation, double learningRate,
    double warmupRatio, double weightDecay, double maxGradNorm, double beta, int maxLength, long seed) {

  public TrainOptions {
    if (epochs <= 0 || batchSize <= 0 || gradientAccumulation <= 0) {
      throw new IllegalArgumentException(
          "epochs (" + epochs + "), batchSize (" + batchSize + ") and gradientAccumulation ("
              + gradientAccumulation + ") must be positive");
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be positive but is " + learningRate);
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new IllegalArgumentException("warmup ratio must be in [0, 1) but is " + warmupRatio);
    }
    if (!(beta > 0)) {
      throw new IllegalArgumentException("DPO beta must be positive but is " + beta);
    }
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be at least 2 but is " + maxLength);
    }
  }

  /** LoRA r=16/alpha=32 on all linears, lr 2e-4 (SFT) — DPO callers usually lower it to 5e-5. */
  public static TrainOptions defaults(Objective objective) {
    return new TrainOptions(objective, LoraConfig.defaults(), 2, 8, 1, 2e-4, 0.1, 0.0, 1.0, 0.1, 512, 42);
  }
}
