package io.sluice.model;

/**
 * Settings of {@link AdapterTrainer#train}.
 *
 * @param batchSize sequences per micro-batch (DPO: pairs per micro-batch)
 * @param gradientAccumulation micro-batches per optimiser step
 * @param maxLength longer examples lose prompt tokens from the left, then answer tokens
 * @param learningRate peak rate of SFT
 * @param dpoLearningRate peak rate of DPO, usually several times lower than SFT's
 * @param beta DPO's KL strength
 * @param checkpointActivations keep only each decoder layer's input during the forward pass and
 *     recompute the layer in backward: much less memory for about one more forward pass of time
 */
public record TrainOptions(
    TrainingObjective objective, LoraConfig lora, int epochs, int batchSize, int gradientAccumulation,
    double learningRate, double dpoLearningRate, double warmupRatio, double weightDecay, double maxGradNorm,
    double beta, int maxLength, long seed, boolean checkpointActivations) {

  /** Options without activation checkpointing. */
  public TrainOptions(
      TrainingObjective objective, LoraConfig lora, int epochs, int batchSize, int gradientAccumulation,
      double learningRate, double dpoLearningRate, double warmupRatio, double weightDecay, double maxGradNorm,
      double beta, int maxLength, long seed) {
    this(objective, lora, epochs, batchSize, gradientAccumulation, learningRate, dpoLearningRate, warmupRatio,
        weightDecay, maxGradNorm, beta, maxLength, seed, false);
  }

  public TrainOptions withObjective(TrainingObjective replacement) {
    return new TrainOptions(replacement, lora, epochs, batchSize, gradientAccumulation, learningRate, dpoLearningRate,
        warmupRatio, weightDecay, maxGradNorm, beta, maxLength, seed, checkpointActivations);
  }

  public TrainOptions withCheckpointActivations(boolean checkpoint) {
    return new TrainOptions(objective, lora, epochs, batchSize, gradientAccumulation, learningRate, dpoLearningRate,
        warmupRatio, weightDecay, maxGradNorm, beta, maxLength, seed, checkpoint);
  }

  public TrainOptions {
    if (epochs <= 0 || batchSize <= 0 || gradientAccumulation <= 0) {
      throw new IllegalArgumentException(
          "epochs (" + epochs + "), batchSize (" + batchSize + ") and gradientAccumulation ("
              + gradientAccumulation + ") must be positive");
    }
    if (!(learningRate > 0) || !(dpoLearningRate > 0)) {
      throw new IllegalArgumentException(
          "learning rates must be positive but are " + learningRate + " (SFT) and " + dpoLearningRate + " (DPO)");
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

  /** LoRA r=16/alpha=32 on all linears, lr 2e-4 for SFT and 5e-5 for DPO, two epochs. */
  public static TrainOptions defaults(TrainingObjective objective) {
    return new TrainOptions(objective, LoraConfig.defaults(), 2, 8, 1, 2e-4, 5e-5, 0.1, 0.0, 1.0, 0.1, 512, 42);
  }
}
