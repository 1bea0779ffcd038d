package io.sluice.model.train;

import io.sluice.model.lora.LoraConfig;

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
 * @param kto KTO's settings; its phase runs at {@code dpoLearningRate}, the preference rate
 */
public record TrainOptions(
    TrainingObjective objective,
    LoraConfig lora,
    int epochs,
    int batchSize,
    int gradientAccumulation,
    double learningRate,
    double dpoLearningRate,
    double warmupRatio,
    double weightDecay,
    double maxGradNorm,
    double beta,
    int maxLength,
    long seed,
    boolean checkpointActivations,
    KtoOptions kto) {

  /**
   * KTO's settings (Ethayarajh et al. 2024).
   *
   * @param beta strength of the implicit KL constraint to the reference, like DPO's β
   * @param desirableWeight λ_D, the weight of up-voted responses' loss
   * @param undesirableWeight λ_U, the weight of down-voted responses' loss; the paper advises
   *     λ_D·n_D / (λ_U·n_U) in [1, 4/3] when the two kinds are unbalanced
   */
  public record KtoOptions(double beta, double desirableWeight, double undesirableWeight) {
    public KtoOptions {
      if (!(beta > 0) || !(desirableWeight > 0) || !(undesirableWeight > 0)) {
        throw new IllegalArgumentException(
            "KTO beta ("
                + beta
                + ") and weights ("
                + desirableWeight
                + ", "
                + undesirableWeight
                + ") must be positive");
      }
    }

    /** β 0.1 and both weights 1, TRL's KTOConfig defaults. */
    public static KtoOptions defaults() {
      return new KtoOptions(0.1, 1.0, 1.0);
    }
  }

  /** Options without activation checkpointing, with KTO's defaults. */
  public TrainOptions(
      TrainingObjective objective,
      LoraConfig lora,
      int epochs,
      int batchSize,
      int gradientAccumulation,
      double learningRate,
      double dpoLearningRate,
      double warmupRatio,
      double weightDecay,
      double maxGradNorm,
      double beta,
      int maxLength,
      long seed) {
    this(
        objective,
        lora,
        epochs,
        batchSize,
        gradientAccumulation,
        learningRate,
        dpoLearningRate,
        warmupRatio,
        weightDecay,
        maxGradNorm,
        beta,
        maxLength,
        seed,
        false,
        KtoOptions.defaults());
  }

  public TrainOptions withObjective(TrainingObjective replacement) {
    return with(replacement, checkpointActivations, kto);
  }

  public TrainOptions withKto(KtoOptions replacement) {
    return with(objective, checkpointActivations, replacement);
  }

  public TrainOptions withCheckpointActivations(boolean checkpoint) {
    return with(objective, checkpoint, kto);
  }

  /** These options with the values the public withers replace. */
  private TrainOptions with(TrainingObjective objective, boolean checkpoint, KtoOptions kto) {
    return new TrainOptions(
        objective,
        lora,
        epochs,
        batchSize,
        gradientAccumulation,
        learningRate,
        dpoLearningRate,
        warmupRatio,
        weightDecay,
        maxGradNorm,
        beta,
        maxLength,
        seed,
        checkpoint,
        kto);
  }

  public TrainOptions {
    if (epochs <= 0 || batchSize <= 0 || gradientAccumulation <= 0) {
      throw new IllegalArgumentException(
          "epochs ("
              + epochs
              + "), batchSize ("
              + batchSize
              + ") and gradientAccumulation ("
              + gradientAccumulation
              + ") must be positive");
    }
    if (!(learningRate > 0) || !(dpoLearningRate > 0)) {
      throw new IllegalArgumentException(
          "learning rates must be positive but are "
              + learningRate
              + " (SFT) and "
              + dpoLearningRate
              + " (DPO)");
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new IllegalArgumentException("warmup ratio must be in [0, 1) but is " + warmupRatio);
    }
    if (!(beta > 0)) {
      throw new IllegalArgumentException("DPO beta must be positive but is " + beta);
    }
    java.util.Objects.requireNonNull(kto, "kto");
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be at least 2 but is " + maxLength);
    }
  }

  /** LoRA r=16/alpha=32 on all linears, lr 2e-4 for SFT and 5e-5 for DPO, two epochs. */
  public static TrainOptions defaults(TrainingObjective objective) {
    return new TrainOptions(
        objective, LoraConfig.defaults(), 2, 8, 1, 2e-4, 5e-5, 0.1, 0.0, 1.0, 0.1, 512, 42);
  }
}
