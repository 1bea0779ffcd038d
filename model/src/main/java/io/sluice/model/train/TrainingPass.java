package io.sluice.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.sluice.model.LlamaModel;
import io.sluice.model.Scopes;
import io.sluice.model.layers.Adaptation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Forward and backward of one micro-batch, accumulating gradients into the adapter's parameters, in
 * less memory than one autograd graph over the whole model:
 *
 * <ul>
 *   <li>The LM head and the loss never enter autograd. Their gradient with respect to the final
 *       hidden states is written out ({@code ∂(Σ c·log softmax(z)[y])/∂z = c·(onehot(y) −
 *       softmax(z))}, then through the frozen head) and computed a chunk of tokens at a time, so
 *       the logits over the whole vocabulary exist for one chunk only. Backward then starts at the
 *       hidden states with that gradient. SFT needs one pass over the head; DPO two, because its
 *       coefficients depend on the sequences' log-probabilities.
 *   <li>Each decoder layer runs in its own scope, so only what autograd saved outlives it.
 *   <li>With activation checkpointing, layers run without autograd and keep only their input;
 *       backward recomputes one layer at a time with autograd, back-propagates the gradient of its
 *       output, and hands the gradient of its input to the layer below. Dropout masks are replayed
 *       ({@link Adaptation#replayable}), so the gradients equal the plain pass's.
 * </ul>
 */
public final class TrainingPass {
  // Rows of logits per chunk: 2^22 values (16 MiB of float32) whatever the vocabulary; a few
  // arrays of that size are alive at once, on top of every layer's saved activations.
  private static final long CHUNK_VALUES = 1L << 22;
  private static final int TRIM_EVERY_LAYERS = 3;

  private TrainingPass() {}

  /**
   * What the loss asks of the head: per-token log-probabilities first, then the coefficient of each
   * token's log-probability in the loss (its gradient), as (B, T) arrays.
   */
  interface Objective {
    /** (B, T) coefficients when they do not depend on the log-probabilities (SFT), else null. */
    NDArray fixedCoefficients();

    /**
     * @param logProbs (B, T) log p(target) under the current parameters, no gradient
     * @return the loss value and (B, T) coefficients {@code ∂loss/∂logp}
     */
    LossAndCoefficients coefficients(NDArray logProbs);
  }

  record LossAndCoefficients(double loss, NDArray coefficients) {}

  /**
   * Runs the micro-batch forward and backward; gradients are added (times {@code scale}) to what
   * the adapter's parameters already hold.
   *
   * @return the loss value
   */
  static double run(
      LlamaModel model,
      Adaptation adaptation,
      NDArray inputs,
      NDArray targets,
      Objective objective,
      boolean checkpoint,
      float scale) {
    boolean gradMode = JniUtils.isGradMode();
    try {
      return checkpoint
          ? checkpointed(model, adaptation, inputs, targets, objective, scale)
          : plain(model, adaptation, inputs, targets, objective, scale);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private static double plain(
      LlamaModel model,
      Adaptation adaptation,
      NDArray inputs,
      NDArray targets,
      Objective objective,
      float scale) {
    NDArray mask = causalMask(inputs); // (T, T)
    JniUtils.setGradMode(true);
    NDArray last = decoderLayers(model, inputs, mask, adaptation, (input, pass) -> {});
    NDArray hidden = Scopes.keepOnly(() -> model.finalNorm(last)); // (B, T, H)
    JniUtils.setGradMode(false);
    HeadGradient head = head(model, hidden, targets, objective, scale);
    backward(hidden, head.gradient());
    return head.loss();
  }

  private static double checkpointed(
      LlamaModel model,
      Adaptation adaptation,
      NDArray inputs,
      NDArray targets,
      Objective objective,
      float scale) {
    NDArray mask = causalMask(inputs); // (T, T)
    int layers = model.layerCount();
    List<Supplier<Adaptation>> passes = new ArrayList<>();
    List<NDArray> layerInputs = new ArrayList<>(); // each (B, T, H)
    JniUtils.setGradMode(false);
    NDArray last =
        decoderLayers(
            model,
            inputs,
            mask,
            adaptation,
            (input, pass) -> {
              layerInputs.add(input);
              passes.add(pass);
            });
    HeadGradient head =
        head(model, Scopes.keepOnly(() -> model.finalNorm(last)), targets, objective, scale);
    NDArray gradient = inputGradient(model::finalNorm, last, head.gradient(), true); // (B, T, H)
    for (int i = layers - 1; i >= 0; i--) {
      int index = i;
      Adaptation pass = passes.get(i).get();
      NDArray outputGradient = gradient;
      // The embedding is frozen, so the first layer's input needs no gradient.
      gradient =
          inputGradient(
              in -> model.layer(index, in, 0, mask, null, pass, true),
              layerInputs.get(i),
              outputGradient,
              i > 0);
      outputGradient.close();
      if (i + 1 < layers) {
        layerInputs.get(i + 1).close();
      }
      trimAfter(i);
    }
    return head.loss();
  }

  private static NDArray causalMask(NDArray inputs) {
    return LlamaModel.causalMask(inputs.getManager(), 0, Math.toIntExact(inputs.getShape().get(1)));
  }

  /**
   * Embeds {@code inputs} (B, T) and runs every decoder layer, each in its own scope, so only what
   * autograd saved outlives it; {@code eachLayer} is shown each layer's input (B, T, H) and the
   * replayable adaptation the layer runs with. Returns the last layer's output (B, T, H).
   */
  private static NDArray decoderLayers(
      LlamaModel model,
      NDArray inputs,
      NDArray mask,
      Adaptation adaptation,
      BiConsumer<NDArray, Supplier<Adaptation>> eachLayer) {
    NDArray x = model.embed(inputs); // (B, T, H)
    for (int i = 0; i < model.layerCount(); i++) {
      NDArray in = x;
      int index = i;
      Supplier<Adaptation> pass = adaptation.replayable();
      eachLayer.accept(in, pass);
      x = Scopes.keepOnly(() -> model.layer(index, in, 0, mask, null, pass.get(), true));
      trimAfter(i);
    }
    return x;
  }

  /**
   * Returns freed memory to the OS every few layers ({@link NativeMemory}): every layer would bound
   * the retention best, but each trim makes the next layer fault its pages in again, which cost a
   * checkpointed step 60% more time; every third layer keeps most of the saving.
   */
  private static void trimAfter(int layer) {
    if (layer % TRIM_EVERY_LAYERS == TRIM_EVERY_LAYERS - 1) {
      NativeMemory.trim();
    }
  }

  /**
   * Recomputes {@code block} at {@code input} with autograd, back-propagates {@code outputGradient}
   * into the adapter's parameters and returns the gradient of the input (or null).
   */
  private static NDArray inputGradient(
      UnaryOperator<NDArray> block,
      NDArray input,
      NDArray outputGradient,
      boolean needInputGradient) {
    NDArray result = null;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      JniUtils.setGradMode(true);
      if (needInputGradient) {
        input.setRequiresGradient(true);
      }
      NDArray output = block.apply(input);
      JniUtils.setGradMode(false);
      backward(output, outputGradient);
      if (needInputGradient) {
        result = input.getGradient();
        NDScope.unregister(result);
      }
    }
    if (result != null) {
      NDScope.register(result);
    }
    return result;
  }

  private static void backward(NDArray output, NDArray gradient) {
    JniUtils.backward((PtNDArray) output, (PtNDArray) gradient, false, false);
  }

  private record HeadGradient(double loss, NDArray gradient) {}

  /**
   * The loss and its gradient with respect to {@code hidden} (B, T, H), without autograd: the
   * head's logits are computed a chunk of rows at a time, twice (once for the log-probabilities the
   * objective needs, once for the gradient), so no chunk's logits outlive it.
   */
  private static HeadGradient head(
      LlamaModel model, NDArray hidden, NDArray targets, Objective objective, float scale) {
    NDArray weight = model.headWeight(); // (V, H)
    long b = hidden.getShape().get(0);
    long t = hidden.getShape().get(1);
    long h = hidden.getShape().get(2);
    long vocab = weight.getShape().get(0);
    long rows = b * t;
    long chunk = Math.max(1, CHUNK_VALUES / vocab);
    NDArray flat = hidden.reshape(rows, h); // (N, H)
    NDArray flatTargets = targets.reshape(rows); // (N)
    NDArray fixed = objective.fixedCoefficients();
    NDList logProbChunks = new NDList();
    NDList gradientChunks = new NDList();
    if (fixed == null) {
      // pass 1 (DPO): log p(target) per token, which the coefficients depend on
      for (long from = 0; from < rows; from += chunk) {
        NDIndex range = new NDIndex("{}:{}", from, Math.min(rows, from + chunk));
        logProbChunks.add(
            Scopes.keepOnly(
                () -> {
                  NDArray logits = logits(flat.get(range), weight); // (n, V)
                  return logits
                      .logSoftmax(-1)
                      .gather(flatTargets.get(range).expandDims(-1), -1)
                      .squeeze(-1); // (n)
                }));
      }
    }
    NDArray coefficients =
        (fixed != null
                ? fixed
                : objective.coefficients(concat(logProbChunks).reshape(b, t)).coefficients())
            .mul(scale)
            .reshape(rows); // (N)
    // ∂loss/∂h = (c · (onehot(y) − softmax(z))) W = c · W[y] − (c · softmax(z)) W: the
    // one-hot term is a row lookup, so no (n, V) one-hot array is built.
    for (long from = 0; from < rows; from += chunk) {
      NDIndex range = new NDIndex("{}:{}", from, Math.min(rows, from + chunk));
      gradientChunks.add(
          Scopes.keepOnly(
              () -> {
                NDArray c = coefficients.get(range).expandDims(-1); // (n, 1)
                NDArray chunkTargets = flatTargets.get(range); // (n)
                NDArray logProbs = logits(flat.get(range), weight).logSoftmax(-1); // (n, V)
                if (fixed != null) {
                  NDArray picked =
                      logProbs.gather(chunkTargets.expandDims(-1), -1).squeeze(-1); // (n)
                  NDScope.unregister(picked);
                  logProbChunks.add(picked);
                }
                NDArray scaledProbs = logProbs.exp().muli(c.neg()); // (n, V): −c · softmax(z)
                return scaledProbs.matMul(weight).addi(weight.get(chunkTargets).muli(c)); // (n, H)
              }));
    }
    logProbChunks.forEach(NDScope::register);
    LossAndCoefficients lc = objective.coefficients(concat(logProbChunks).reshape(b, t));
    NDArray gradient = concat(gradientChunks).reshape(b, t, h).toType(hidden.getDataType(), false);
    return new HeadGradient(lc.loss(), gradient);
  }

  // DJL's concat of a single array copies it; the copy is harmless here but needless.
  private static NDArray concat(NDList arrays) {
    return arrays.size() == 1 ? arrays.singletonOrThrow() : NDArrays.concat(arrays);
  }

  private static NDArray logits(NDArray rows, NDArray weight) {
    return rows.getNDArrayInternal().linear(rows, weight, null).singletonOrThrow();
  }

  /** Completion-only SFT: {@code loss = −Σ mask·logp / max(Σ mask, 1)}. */
  static Objective sft(NDArray mask) {
    double count = Math.max(1, mask.sum().getFloat());
    NDArray coefficients = mask.div((float) -count); // (B, T)
    return new Objective() {
      @Override
      public NDArray fixedCoefficients() {
        return coefficients;
      }

      @Override
      public LossAndCoefficients coefficients(NDArray logProbs) {
        return new LossAndCoefficients(-logProbs.mul(mask).sum().getFloat() / count, coefficients);
      }
    };
  }

  /**
   * Sigmoid DPO over a batch of 2N sequences (N chosen, then N rejected): {@code loss = mean
   * softplus(−z)}, {@code z = β((πc − πr) − (refc − refr))}, so {@code ∂loss/∂πc = −β σ(−z) / N}
   * and {@code ∂loss/∂πr = +β σ(−z) / N}; each answer token's coefficient is its sequence's.
   */
  static Objective dpo(
      NDArray mask, float[] referenceChosen, float[] referenceRejected, double beta) {
    return perSequence(
        mask,
        (sequences, coefficients) -> {
          int n = referenceChosen.length;
          double loss = 0;
          for (int i = 0; i < n; i++) {
            double z =
                beta
                    * ((sequences[i] - sequences[n + i])
                        - (referenceChosen[i] - referenceRejected[i]));
            loss += softplus(-z) / n;
            double sigmoidMinusZ = 1 / (1 + Math.exp(z));
            coefficients[i] = (float) (-beta * sigmoidMinusZ / n);
            coefficients[n + i] = (float) (beta * sigmoidMinusZ / n);
          }
          return loss;
        });
  }

  /**
   * KTO over a batch of N voted answers: {@code loss = mean w·(1 − σ(β·s·(r − z0)))}, with r the
   * answer's log-ratio to the reference, s = +1 (desirable) or −1 (undesirable), w = λ_D or λ_U,
   * and z0 the batch's KL baseline (a constant). So {@code ∂loss/∂π = −w·β·s·σ(x)·(1 − σ(x)) / N}
   * with x = β·s·(r − z0); each answer token's coefficient is its sequence's.
   *
   * @param reference (N) answer log-probs under the reference
   * @param sign (N) +1 desirable, −1 undesirable
   * @param weight (N) λ_D or λ_U
   */
  static Objective kto(
      NDArray mask,
      float[] reference,
      float[] sign,
      float[] weight,
      double klBaseline,
      double beta) {
    return perSequence(
        mask,
        (sequences, coefficients) -> {
          int n = reference.length;
          double loss = 0;
          for (int i = 0; i < n; i++) {
            double x = beta * sign[i] * ((sequences[i] - reference[i]) - klBaseline);
            double sigmoid = 1 / (1 + Math.exp(-x));
            loss += weight[i] * (1 - sigmoid) / n;
            coefficients[i] = (float) (-weight[i] * beta * sign[i] * sigmoid * (1 - sigmoid) / n);
          }
          return loss;
        });
  }

  /** A loss of each sequence's answer log-probability (the sum over its answer tokens). */
  private interface SequenceLoss {
    /**
     * @param sequences (B) answer log-probs
     * @param coefficients (B) to fill with {@code ∂loss/∂sequences}
     * @return the loss
     */
    double lossAndCoefficients(float[] sequences, float[] coefficients);
  }

  /** An objective whose every answer token's coefficient is its sequence's. */
  private static Objective perSequence(NDArray mask, SequenceLoss loss) {
    return new Objective() {
      @Override
      public NDArray fixedCoefficients() {
        return null;
      }

      @Override
      public LossAndCoefficients coefficients(NDArray logProbs) {
        float[] sequences = logProbs.mul(mask).sum(new int[] {1}).toFloatArray(); // (B)
        float[] perSequence = new float[sequences.length];
        double value = loss.lossAndCoefficients(sequences, perSequence);
        NDArray perToken = mask.getManager().create(perSequence).expandDims(-1); // (B, 1)
        return new LossAndCoefficients(value, mask.mul(perToken)); // (B, T)
      }
    };
  }

  private static double softplus(double x) {
    return x > 30 ? x : Math.log1p(Math.exp(x));
  }
}
