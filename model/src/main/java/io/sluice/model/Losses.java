package io.sluice.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The training objectives, as functions of the model's outputs. */
public final class Losses {
  private Losses() {}

  /** log p(target) at every position: (B, T). */
  public static NDArray tokenLogProbs(LlamaModel model, Adaptation adaptation, SequenceBatch batch, boolean training) {
    NDArray logits = model.forward(batch.inputs(), null, adaptation, training); // (B, T, V)
    NDArray logProbs = logits.logSoftmax(-1); // (B, T, V)
    return logProbs.gather(batch.targets().expandDims(-1), -1).squeeze(-1); // (B, T)
  }

  /** Mean negative log-likelihood over answer tokens only (completion-only SFT). */
  public static NDArray sft(LlamaModel model, Adaptation adaptation, SequenceBatch batch, boolean training) {
    NDArray picked = tokenLogProbs(model, adaptation, batch, training);
    return picked.mul(batch.mask()).sum().neg().div(batch.mask().sum().maximum(1f));
  }

  /** Summed log-probability of each sequence's answer: (B). */
  public static NDArray sequenceLogProbs(LlamaModel model, Adaptation adaptation, SequenceBatch batch, boolean training) {
    return tokenLogProbs(model, adaptation, batch, training).mul(batch.mask()).sum(new int[] {1});
  }

  /**
   * DPO's sigmoid loss, mean over pairs: {@code -log σ(β·((πc − πr) − (refc − refr)))}, written
   * as softplus(−z) for numerical stability.
   *
   * @param policyChosen (N) answer log-probs under the trained policy
   * @param referenceChosen (N) the same under the reference (adapter disabled); constants
   */
  public static NDArray dpo(
      NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen, NDArray referenceRejected, double beta) {
    NDArray margin = policyChosen.sub(policyRejected).sub(referenceChosen.sub(referenceRejected)).mul((float) beta);
    return Activation.softPlus(margin.neg()).mean();
  }
}
