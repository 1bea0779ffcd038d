package io.sluice.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import io.sluice.model.LlamaModel;
import io.sluice.model.Scopes;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.Scalars;

/** The training objectives, as functions of the model's outputs. */
public final class Losses {
  private Losses() {}

  // Logits are computed for at most this many values (64 MiB of float32) at a time.
  private static final long CHUNK_VALUES = 1L << 24;

  /**
   * log p(target) at every position: (B, T). The logits over the vocabulary are computed a chunk of
   * positions at a time, so scoring never holds (B, T, V) at once.
   */
  public static NDArray tokenLogProbs(
      LlamaModel model, Adaptation adaptation, SequenceBatch batch, boolean training) {
    NDArray hidden = model.hidden(batch.inputs(), null, adaptation, training); // (B, T, H)
    long b = hidden.getShape().get(0);
    long t = hidden.getShape().get(1);
    long rows = b * t;
    long chunk = Math.max(1, CHUNK_VALUES / model.config().vocabSize());
    NDArray flat = hidden.reshape(rows, hidden.getShape().get(2)); // (N, H)
    NDArray targets = batch.targets().reshape(rows, 1); // (N, 1)
    NDList picked = new NDList();
    for (long from = 0; from < rows; from += chunk) {
      NDIndex range = new NDIndex("{}:{}", from, Math.min(rows, from + chunk));
      picked.add(
          Scopes.keepOnly(
              () ->
                  model
                      .logits(flat.get(range))
                      .logSoftmax(-1)
                      .gather(targets.get(range), -1)
                      .squeeze(-1))); // (n)
    }
    // DJL's concat of a single array copies it without its autograd history.
    NDArray all = picked.size() == 1 ? picked.singletonOrThrow() : NDArrays.concat(picked);
    return all.reshape(b, t); // (B, T)
  }

  /**
   * Completion-only SFT on one micro-batch, forward and backward: adds {@code scale · ∂loss/∂θ} to
   * the gradients of the adapter's parameters (see {@link TrainingPass} for how memory is saved).
   *
   * @param checkpoint recompute each decoder layer in backward instead of keeping its activations
   * @return the loss
   */
  public static double sftBackward(
      LlamaModel model,
      Adaptation adaptation,
      SequenceBatch batch,
      boolean checkpoint,
      float scale) {
    return TrainingPass.run(
        model,
        adaptation,
        batch.inputs(),
        batch.targets(),
        TrainingPass.sft(batch.mask()),
        checkpoint,
        scale);
  }

  /**
   * DPO on one micro-batch of 2N sequences (N chosen, then N rejected), forward and backward, like
   * {@link #sftBackward}; the loss is {@link #dpo}'s.
   *
   * @param referenceChosen (N) answer log-probs of the chosen sequences under the reference
   */
  public static double dpoBackward(
      LlamaModel model,
      Adaptation adaptation,
      SequenceBatch batch,
      float[] referenceChosen,
      float[] referenceRejected,
      double beta,
      boolean checkpoint,
      float scale) {
    return TrainingPass.run(
        model,
        adaptation,
        batch.inputs(),
        batch.targets(),
        TrainingPass.dpo(batch.mask(), referenceChosen, referenceRejected, beta),
        checkpoint,
        scale);
  }

  /**
   * KTO on one micro-batch of N voted answers, forward and backward, like {@link #sftBackward}; the
   * loss is {@link #kto}'s.
   *
   * @param reference (N) answer log-probs of the batch under the reference
   * @param desirable (N) the votes
   * @param klBaseline the batch's z0 ({@link #klBaseline}), a constant
   */
  public static double ktoBackward(
      LlamaModel model,
      Adaptation adaptation,
      SequenceBatch batch,
      float[] reference,
      boolean[] desirable,
      double klBaseline,
      TrainOptions.KtoOptions options,
      boolean checkpoint,
      float scale) {
    float[] sign = new float[desirable.length];
    float[] weight = new float[desirable.length];
    for (int i = 0; i < desirable.length; i++) {
      sign[i] = desirable[i] ? 1f : -1f;
      weight[i] = (float) (desirable[i] ? options.desirableWeight() : options.undesirableWeight());
    }
    TrainingPass.Objective kto =
        TrainingPass.kto(batch.mask(), reference, sign, weight, klBaseline, options.beta());
    return TrainingPass.run(
        model, adaptation, batch.inputs(), batch.targets(), kto, checkpoint, scale);
  }

  /**
   * KTO's reference point z0 for one batch: {@code max(0, mean(π − ref))} over mismatched
   * prompt/response pairs (each prompt with another example's answer), an estimate of the policy's
   * KL from the reference. It is computed without gradients, as in the paper and TRL's KTOTrainer:
   * z0 only centres the loss.
   *
   * @param mismatched (N) prompts each followed by another example's answer
   * @param referenceMismatched (N) their answer log-probs under the reference
   */
  public static double klBaseline(
      LlamaModel model,
      Adaptation adaptation,
      SequenceBatch mismatched,
      float[] referenceMismatched) {
    boolean gradMode = ai.djl.pytorch.jni.JniUtils.isGradMode();
    try {
      ai.djl.pytorch.jni.JniUtils.setGradMode(false);
      float[] policy = sequenceLogProbs(model, adaptation, mismatched, false).toFloatArray();
      double sum = 0;
      for (int i = 0; i < policy.length; i++) {
        sum += policy[i] - referenceMismatched[i];
      }
      return Math.max(0, sum / policy.length);
    } finally {
      ai.djl.pytorch.jni.JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * KTO's loss, mean over N voted answers (Ethayarajh et al. 2024, eq. 8; TRL's kto_loss): with the
   * log-ratio {@code r = π − ref}, a desirable answer costs {@code λ_D·(1 − σ(β(r − z0)))} and an
   * undesirable one {@code λ_U·(1 − σ(β(z0 − r)))}.
   *
   * @param policy (N) answer log-probs under the trained policy
   * @param reference (N) the same under the reference (adapter disabled); constants
   * @param klBaseline z0 ({@link #klBaseline})
   */
  public static NDArray kto(
      NDArray policy,
      NDArray reference,
      boolean[] desirable,
      double klBaseline,
      TrainOptions.KtoOptions options) {
    float[] sign = new float[desirable.length];
    float[] weight = new float[desirable.length];
    for (int i = 0; i < desirable.length; i++) {
      sign[i] = desirable[i] ? 1f : -1f;
      weight[i] = (float) (desirable[i] ? options.desirableWeight() : options.undesirableWeight());
    }
    NDArray x =
        policy
            .sub(reference)
            .sub((float) klBaseline)
            .mul(policy.getManager().create(sign))
            .mul(Scalars.of(policy, (float) options.beta())); // (N)
    NDArray w = policy.getManager().create(weight);
    return w.mul(Activation.sigmoid(x).neg().add(1f)).mean();
  }

  /** Mean negative log-likelihood over answer tokens only (completion-only SFT). */
  public static NDArray sft(
      LlamaModel model, Adaptation adaptation, SequenceBatch batch, boolean training) {
    NDArray picked = tokenLogProbs(model, adaptation, batch, training);
    return picked.mul(batch.mask()).sum().neg().div(batch.mask().sum().maximum(1f));
  }

  /** Summed log-probability of each sequence's answer: (B). */
  public static NDArray sequenceLogProbs(
      LlamaModel model, Adaptation adaptation, SequenceBatch batch, boolean training) {
    return tokenLogProbs(model, adaptation, batch, training).mul(batch.mask()).sum(new int[] {1});
  }

  /**
   * DPO's sigmoid loss, mean over pairs: {@code -log σ(β·((πc − πr) − (refc − refr)))}, written as
   * softplus(−z) for numerical stability.
   *
   * @param policyChosen (N) answer log-probs under the trained policy
   * @param referenceChosen (N) the same under the reference (adapter disabled); constants
   */
  public static NDArray dpo(
      NDArray policyChosen,
      NDArray policyRejected,
      NDArray referenceChosen,
      NDArray referenceRejected,
      double beta) {
    NDArray margin =
        policyChosen
            .sub(policyRejected)
            .sub(referenceChosen.sub(referenceRejected))
            .mul(Scalars.of(policyChosen, (float) beta));
    return Activation.softPlus(margin.neg()).mean();
  }
}
