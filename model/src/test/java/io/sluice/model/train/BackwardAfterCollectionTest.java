package io.sluice.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.sluice.model.FreedBuffers;
import io.sluice.model.LlamaModel;
import io.sluice.model.TestModels;
import io.sluice.model.layers.HiddenAct;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.model.lora.LoraConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gradients must not depend on when the garbage collector runs. Autograd keeps operands of the
 * forward pass until backward; an operand that lives in a Java buffer (DJL wraps a Java number such
 * as {@code x.mul(0.5f)} that way, and closes the wrapper straight after the call) dangles once a
 * collection frees the buffer, and backward then multiplies by whatever the allocator wrote there:
 * rarely NaN or 1e31, which skipped an optimiser step, usually a silently wrong gradient. Each test
 * takes the gradients of one forward pass twice, once with a collection that frees every
 * unreachable buffer between forward and backward, and requires them to be identical.
 */
class BackwardAfterCollectionTest {
  private static final long[][] TOKENS = {{3, 14, 15, 92, 65, 35}, {2, 71, 82, 81, 82, 8}};

  @Test
  void loraGradientsAreTheSameWhenBuffersAreFreedBeforeBackward() throws Exception {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 5)) {
      model.setBaseTrainable(false);
      Map<String, float[]> straight = loraGradients(model, false);
      Map<String, float[]> collected = loraGradients(model, true);
      assertThat(straight).hasSize(2 * 7 * 2);
      straight.forEach(
          (name, gradient) -> {
            assertFinite(name, gradient);
            assertThat(collected.get(name)).as(name).containsExactly(gradient);
          });
    }
  }

  @ParameterizedTest
  @EnumSource(HiddenAct.class)
  void activationGradientsAreTheSameWhenBuffersAreFreedBeforeBackward(HiddenAct act)
      throws Exception {
    float[] x = {-3f, -1f, -0.25f, 0f, 0.5f, 1f, 2.5f};
    assertSameWhenCollected(act.hfName(), x, a -> act.apply(a).sum());
  }

  @Test
  void preferenceLossGradientsAreTheSameWhenBuffersAreFreedBeforeBackward() throws Exception {
    float[] policy = {-12f, -30f, -15f, -24f}; // chosen, chosen, rejected, rejected
    assertSameWhenCollected(
        "dpo",
        policy,
        p -> {
          NDManager m = p.getManager();
          return Losses.dpo(
              p.get("0:2"),
              p.get("2:"),
              m.create(new float[] {-20f, -25f}),
              m.create(new float[] {-18f, -21f}),
              0.5);
        });
    assertSameWhenCollected(
        "kto",
        policy,
        p ->
            Losses.kto(
                p,
                p.getManager().create(new float[] {-13f, -28f, -14f, -25f}),
                new boolean[] {true, true, false, false},
                0.2,
                TrainOptions.KtoOptions.defaults()));
  }

  /**
   * The gradients of every LoRA parameter for one training forward pass over {@link #TOKENS}. A
   * fresh adapter from the same seed each time draws the same dropout masks; B is made non-zero so
   * A's gradient, which passes through the rank-r scaling, is not zero.
   */
  private static Map<String, float[]> loraGradients(LlamaModel model, boolean collect)
      throws Exception {
    LoraConfig config = new LoraConfig(4, 8, 0.1, LoraConfig.ALL_LINEAR, false);
    try (LoraAdapter adapter = LoraAdapter.create(model, config, 3);
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      adapter.parameters().entrySet().stream()
          .filter(e -> e.getKey().endsWith("lora_B.weight"))
          .forEach(e -> e.getValue().addi(0.05f));
      adapter.setTrainable(true);
      Map<String, float[]> out = new LinkedHashMap<>();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray ids = TestModels.ids(model.manager(), TOKENS);
        NDArray loss =
            model.forward(ids, null, adapter, true).logSoftmax(-1).get(":, :, 65").mean().neg();
        if (collect) {
          FreedBuffers.freeUnreachable();
        }
        collector.backward(loss);
        adapter.parameters().forEach((k, p) -> out.put(k, p.getGradient().toFloatArray()));
      }
      return out;
    }
  }

  /** The gradient of {@code loss} at {@code input}, with and without a collection before it. */
  private static void assertSameWhenCollected(
      String name, float[] input, UnaryOperator<NDArray> loss) throws Exception {
    float[] straight = gradient(input, loss, false);
    assertFinite(name, straight);
    assertThat(gradient(input, loss, true)).as(name).containsExactly(straight);
  }

  private static float[] gradient(float[] input, UnaryOperator<NDArray> loss, boolean collect)
      throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(input);
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray value = loss.apply(x);
        if (collect) {
          FreedBuffers.freeUnreachable();
        }
        collector.backward(value);
        return x.getGradient().toFloatArray();
      }
    }
  }

  private static void assertFinite(String name, float[] values) {
    for (float v : values) {
      assertThat(v).as(name).isFinite();
    }
  }
}
