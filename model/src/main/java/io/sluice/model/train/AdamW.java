package io.sluice.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) with global-norm gradient clipping, updating parameters in place.
 * Moments live beside each parameter on its device.
 */
public final class AdamW {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdamW.class);
  private final List<NDArray> params = new ArrayList<>();
  private final List<Boolean> decays = new ArrayList<>();
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private int steps;
  private int skipped;

  /**
   * @param params trainable arrays by name; each must require gradients
   * @param weightDecay applied to matrices only: decaying norm gains pulls them toward zero
   */
  public AdamW(
      Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.eps = (float) eps;
    this.weightDecay = (float) weightDecay;
    for (NDArray p : params.values()) {
      this.params.add(p);
      this.decays.add(p.getShape().dimension() >= 2);
      NDArray m = p.zerosLike();
      NDArray v = p.zerosLike();
      // Moments must outlive any scope the optimiser happens to be built in.
      NDScope.unregister(m, v);
      firstMoments.add(m);
      secondMoments.add(v);
    }
  }

  /** β2 = 0.95 rather than 0.999: the usual choice for language models, which damps spikes. */
  public static AdamW standard(Map<String, NDArray> params, double weightDecay) {
    return new AdamW(params, 0.9, 0.95, 1e-8, weightDecay);
  }

  /** Steps dropped because the gradient norm was not finite. */
  public int skippedSteps() {
    return skipped;
  }

  // A fill rather than multiplying by zero, which would keep NaN and turn inf into NaN.
  private static void zero(NDArray grad) {
    grad.set(new NDIndex("..."), 0f);
  }

  /**
   * Clips the accumulated gradients to {@code maxNorm} (global L2), applies one update at {@code
   * learningRate} and zeroes the gradients.
   *
   * @return the gradient norm before clipping
   */
  public double step(double learningRate, double maxNorm) {
    // Grad mode is per thread and starts enabled on a new one: updating a leaf in place would
    // then be refused. The update itself is never differentiated.
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      List<NDArray> grads = params.stream().map(NDArray::getGradient).toList();
      NDArray squared = null;
      for (NDArray g : grads) {
        NDArray s = g.square().sum();
        squared = squared == null ? s : squared.add(s);
      }
      double norm = Math.sqrt(squared.getFloat());
      if (!Double.isFinite(norm)) {
        // One overflowing batch must not poison the weights: drop this step's gradients.
        grads.forEach(AdamW::zero);
        skipped++;
        LOG.warn("skipped optimiser step {}: gradient norm is {}", steps + skipped, norm);
        return norm;
      }
      float clip = maxNorm > 0 && norm > maxNorm ? (float) (maxNorm / (norm + 1e-6)) : 1f;
      steps++;
      float correction1 = 1 - (float) Math.pow(beta1, steps);
      float correction2 = 1 - (float) Math.pow(beta2, steps);
      float lr = (float) learningRate;
      for (int i = 0; i < params.size(); i++) {
        NDArray p = params.get(i);
        NDArray g = clip == 1f ? grads.get(i) : grads.get(i).mul(clip);
        NDArray m = firstMoments.get(i).muli(beta1).addi(g.mul(1 - beta1));
        NDArray v = secondMoments.get(i).muli(beta2).addi(g.square().muli(1 - beta2));
        NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi(eps));
        if (decays.get(i) && weightDecay > 0) {
          p.muli(1 - lr * weightDecay);
        }
        p.subi(update.muli(lr));
        // Gradients accumulate across backward calls; clear them for the next step.
        zero(grads.get(i));
      }
      return norm;
    }
  }
}
