package io.sluice.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.sluice.model.LlamaConfig;
import io.sluice.model.LlamaModel;
import io.sluice.model.TestModels;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.HiddenAct;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.model.lora.LoraConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The memory-saving training pass (analytic head gradient, per-layer scopes, checkpointing) must
 * give the gradients that autograd gives for the same loss written plainly.
 */
class TrainingPassTest {
  private static final List<TokenizedExample> SEQUENCES =
      List.of(
          new TokenizedExample(new long[] {3, 14, 15, 92, 65, 35, 89, 79}, 3),
          new TokenizedExample(new long[] {2, 71, 82, 81, 82, 8}, 2),
          new TokenizedExample(new long[] {26, 53, 58, 97, 93, 23, 84}, 4),
          new TokenizedExample(new long[] {62, 64, 33, 83, 27}, 1));

  private static final LlamaConfig CONFIG =
      TestModels.tiny().withBiasesAndActivation(true, true, false, HiddenAct.SILU);

  /** A seeded adapter whose B is non-zero, so A gets gradients too. */
  private static LoraAdapter adapter(LlamaModel model, double dropout) {
    LoraAdapter adapter =
        LoraAdapter.create(model, new LoraConfig(4, 8, dropout, LoraConfig.ALL_LINEAR, false), 11);
    Random random = new Random(5);
    adapter
        .parameters()
        .forEach(
            (name, p) -> {
              if (name.endsWith("lora_B.weight")) {
                float[] values = new float[Math.toIntExact(p.getShape().size())];
                for (int i = 0; i < values.length; i++) {
                  values[i] = (float) (random.nextGaussian() * 0.1);
                }
                p.set(new NDIndex("..."), p.getManager().create(values, p.getShape()));
              }
            });
    adapter.setTrainable(true);
    return adapter;
  }

  private record Run(double loss, Map<String, float[]> gradients) {}

  private static Run gradients(
      LlamaModel model, double dropout, ToDoubleFunction<LoraAdapter> step) {
    try (LoraAdapter adapter = adapter(model, dropout);
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      double loss = step.applyAsDouble(adapter);
      Map<String, float[]> out = new LinkedHashMap<>();
      adapter.parameters().forEach((k, v) -> out.put(k, v.getGradient().toFloatArray()));
      return new Run(loss, out);
    }
  }

  private static void assertSame(Run actual, Run expected) {
    assertThat(actual.loss()).isCloseTo(expected.loss(), org.assertj.core.data.Offset.offset(1e-5));
    float largest = 0;
    for (float[] g : expected.gradients().values()) {
      for (float v : g) {
        largest = Math.max(largest, Math.abs(v));
      }
    }
    assertThat(largest).isGreaterThan(1e-4f);
    float tolerance = largest * 1e-4f;
    expected
        .gradients()
        .forEach(
            (k, g) ->
                assertThat(actual.gradients().get(k))
                    .as(k)
                    .containsExactly(g, org.assertj.core.data.Offset.offset(tolerance)));
  }

  @Test
  void sftGradientsEqualAutogradWithAndWithoutCheckpointing() {
    try (LlamaModel model = TestModels.random(CONFIG, 3)) {
      model.setBaseTrainable(false);
      SequenceBatch batch = SequenceBatch.of(SEQUENCES, 0, model.manager());
      Run autograd =
          gradients(
              model,
              0,
              adapter -> {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                  NDArray loss = Losses.sft(model, adapter, batch, true).mul(0.5f);
                  collector.backward(loss);
                  return loss.getFloat() * 2;
                }
              });
      assertSame(
          gradients(model, 0, adapter -> Losses.sftBackward(model, adapter, batch, false, 0.5f)),
          autograd);
      assertSame(
          gradients(model, 0, adapter -> Losses.sftBackward(model, adapter, batch, true, 0.5f)),
          autograd);
    }
  }

  @Test
  void dpoGradientsEqualAutogradWithAndWithoutCheckpointing() {
    try (LlamaModel model = TestModels.random(CONFIG, 4)) {
      model.setBaseTrainable(false);
      SequenceBatch batch =
          SequenceBatch.of(SEQUENCES, 0, model.manager()); // pairs (0, 2) and (1, 3)
      float[] refChosen = {-30f, -12f};
      float[] refRejected = {-20f, -25f};
      Run autograd =
          gradients(
              model,
              0,
              adapter -> {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                  NDArray logProbs = Losses.sequenceLogProbs(model, adapter, batch, true);
                  NDManager m = model.manager();
                  NDArray loss =
                      Losses.dpo(
                          logProbs.get("0:2"),
                          logProbs.get("2:"),
                          m.create(refChosen),
                          m.create(refRejected),
                          0.5);
                  collector.backward(loss);
                  return loss.getFloat();
                }
              });
      assertSame(
          gradients(
              model,
              0,
              adapter ->
                  Losses.dpoBackward(
                      model, adapter, batch, refChosen, refRejected, 0.5, false, 1f)),
          autograd);
      assertSame(
          gradients(
              model,
              0,
              adapter ->
                  Losses.dpoBackward(model, adapter, batch, refChosen, refRejected, 0.5, true, 1f)),
          autograd);
    }
  }

  @Test
  void ktoGradientsEqualAutogradWithAndWithoutCheckpointing() {
    try (LlamaModel model = TestModels.random(CONFIG, 6)) {
      model.setBaseTrainable(false);
      SequenceBatch batch = SequenceBatch.of(SEQUENCES, 0, model.manager());
      float[] reference = {-30f, -12f, -25f, -20f};
      boolean[] desirable = {true, false, true, false};
      TrainOptions.KtoOptions options = new TrainOptions.KtoOptions(0.3, 1.0, 1.5);
      double z0 = 0.7;
      Run autograd =
          gradients(
              model,
              0,
              adapter -> {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                  NDArray logProbs = Losses.sequenceLogProbs(model, adapter, batch, true);
                  NDArray loss =
                      Losses.kto(
                          logProbs, model.manager().create(reference), desirable, z0, options);
                  collector.backward(loss);
                  return loss.getFloat();
                }
              });
      assertSame(
          gradients(
              model,
              0,
              adapter ->
                  Losses.ktoBackward(
                      model, adapter, batch, reference, desirable, z0, options, false, 1f)),
          autograd);
      assertSame(
          gradients(
              model,
              0,
              adapter ->
                  Losses.ktoBackward(
                      model, adapter, batch, reference, desirable, z0, options, true, 1f)),
          autograd);
    }
  }

  /**
   * KTO's loss on a tiny model, by hand: sequence log-probs of the answers and of mismatched pairs
   * (each prompt with the next example's answer), z0 = max(0, mean KL term), then the formula.
   */
  @Test
  void ktoLossOnATinyModelEqualsTheHandComputedFormula() {
    try (LlamaModel model = TestModels.random(CONFIG, 7)) {
      model.setBaseTrainable(false);
      List<TokenizedExample> answers = SEQUENCES.subList(0, 3);
      List<TokenizedExample> mismatched =
          List.of(
              new TokenizedExample(
                  new long[] {3, 14, 15, 82, 81, 82, 8}, 3), // prompt 0 + answer of 1
              new TokenizedExample(new long[] {2, 71, 97, 93, 23, 84}, 2), // prompt 1 + answer of 2
              new TokenizedExample(
                  new long[] {26, 53, 58, 97, 92, 65, 35, 89, 79}, 4)); // prompt 2 + answer of 0
      boolean[] desirable = {true, false, true};
      TrainOptions.KtoOptions options = new TrainOptions.KtoOptions(0.2, 1.0, 1.33);
      try (LoraAdapter adapter = adapter(model, 0);
          NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        SequenceBatch batch = SequenceBatch.of(answers, 0, model.manager());
        SequenceBatch kl = SequenceBatch.of(mismatched, 0, model.manager());
        float[] reference =
            Losses.sequenceLogProbs(model, Adaptation.NONE, batch, false).toFloatArray();
        float[] referenceKl =
            Losses.sequenceLogProbs(model, Adaptation.NONE, kl, false).toFloatArray();
        float[] policy = Losses.sequenceLogProbs(model, adapter, batch, false).toFloatArray();
        float[] policyKl = Losses.sequenceLogProbs(model, adapter, kl, false).toFloatArray();
        double klSum = 0;
        for (int i = 0; i < 3; i++) {
          klSum += policyKl[i] - referenceKl[i];
        }
        double z0 = Math.max(0, klSum / 3);
        double expected = 0;
        for (int i = 0; i < 3; i++) {
          double r = policy[i] - reference[i];
          expected +=
              desirable[i]
                  ? 1.0 * (1 - 1 / (1 + Math.exp(-0.2 * (r - z0))))
                  : 1.33 * (1 - 1 / (1 + Math.exp(-0.2 * (z0 - r))));
        }
        expected /= 3;
        double baseline = Losses.klBaseline(model, adapter, kl, referenceKl);
        assertThat(baseline).isCloseTo(z0, org.assertj.core.data.Offset.offset(1e-5));
        double loss =
            Losses.ktoBackward(
                model, adapter, batch, reference, desirable, baseline, options, false, 1f);
        assertThat(loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Math.abs(policy[0] - reference[0]))
            .as("the adapter changes the answer's log-prob")
            .isGreaterThan(1e-3f);
      }
    }
  }

  @Test
  void checkpointingReplaysTheSameDropoutMasks() {
    try (LlamaModel model = TestModels.random(CONFIG, 5)) {
      model.setBaseTrainable(false);
      SequenceBatch batch = SequenceBatch.of(SEQUENCES, 0, model.manager());
      Run plain =
          gradients(model, 0.3, adapter -> Losses.sftBackward(model, adapter, batch, false, 1f));
      Run checkpointed =
          gradients(model, 0.3, adapter -> Losses.sftBackward(model, adapter, batch, true, 1f));
      assertSame(checkpointed, plain);
      Run noDropout =
          gradients(model, 0, adapter -> Losses.sftBackward(model, adapter, batch, false, 1f));
      assertThat(plain.loss()).isNotEqualTo(noDropout.loss());
    }
  }

  @Test
  void scoringInChunksEqualsTheWholeVocabularyAtOnce() {
    try (LlamaModel model = TestModels.random(CONFIG, 6);
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      SequenceBatch batch = SequenceBatch.of(SEQUENCES, 0, model.manager());
      NDArray whole =
          model
              .forward(batch.inputs(), null, Adaptation.NONE, false)
              .logSoftmax(-1)
              .gather(batch.targets().expandDims(-1), -1)
              .squeeze(-1);
      assertThat(Losses.tokenLogProbs(model, Adaptation.NONE, batch, false).toFloatArray())
          .containsExactly(whole.toFloatArray(), org.assertj.core.data.Offset.offset(1e-6f));
    }
  }
}
