package io.sluice.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

  @Test
  void firstStepMovesEachWeightByTheLearningRateAndClearsGradients() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray w = m.create(new float[] {1f, -2f, 3f});
      w.setRequiresGradient(true);
      AdamW adam = AdamW.standard(Map.of("w", w), 0);
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(w.mul(m.create(new float[] {0.5f, -4f, 0.01f})).sum());
      }
      adam.step(0.1, 0);
      // bias-corrected Adam's first update is lr · sign(g)
      assertThat(w.toFloatArray())
          .containsExactly(
              new float[] {0.9f, -1.9f, 2.9f}, org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
    }
  }

  @Test
  void nonFiniteGradientsAreDroppedWithoutTouchingTheWeights() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray w = m.create(new float[] {1f, 2f});
      w.setRequiresGradient(true);
      AdamW adam = AdamW.standard(Map.of("w", w), 0.1);
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(w.mul(m.create(new float[] {Float.POSITIVE_INFINITY, 1f})).sum());
      }
      assertThat(adam.step(0.1, 1.0)).isInfinite();
      assertThat(adam.skippedSteps()).isEqualTo(1);
      assertThat(w.toFloatArray()).containsExactly(1f, 2f);
      assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
    }
  }
}
