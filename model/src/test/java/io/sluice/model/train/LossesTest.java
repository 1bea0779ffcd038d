package io.sluice.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sluice.model.io.TokenizedExample;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossesTest {

  @Test
  void dpoLossEqualsHandComputedValue() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      float loss =
          Losses.dpo(
                  m.create(new float[] {-1f, -2f}),
                  m.create(new float[] {-3f, -1f}),
                  m.create(new float[] {-1.5f, -2f}),
                  m.create(new float[] {-2.5f, -1.5f}),
                  0.1)
              .getFloat();
      // margins: 0.1·((−1+3) − (−1.5+2.5)) = 0.1 and 0.1·((−2+1) − (−2+1.5)) = −0.05
      double expected = (Math.log1p(Math.exp(-0.1)) + Math.log1p(Math.exp(0.05))) / 2;
      assertThat((double) loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void ktoLossEqualsHandComputedValue() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      TrainOptions.KtoOptions options = new TrainOptions.KtoOptions(0.5, 1.0, 2.0);
      float loss =
          Losses.kto(
                  m.create(new float[] {-1f, -4f}),
                  m.create(new float[] {-2f, -3f}),
                  new boolean[] {true, false},
                  0.2,
                  options)
              .getFloat();
      // desirable: r = −1 + 2 = 1, 1 − σ(0.5·(1 − 0.2)) = 1 − σ(0.4)
      // undesirable: r = −4 + 3 = −1, 2·(1 − σ(0.5·(0.2 + 1))) = 2·(1 − σ(0.6))
      double expected = ((1 - sigmoid(0.4)) + 2 * (1 - sigmoid(0.6))) / 2;
      assertThat((double) loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void batchMasksEverythingButTheAnswer() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      SequenceBatch batch =
          SequenceBatch.of(
              List.of(
                  new TokenizedExample(new long[] {1, 2, 3, 4, 5}, 3),
                  new TokenizedExample(new long[] {6, 7, 8}, 2)),
              0,
              m);
      assertThat(batch.inputs().toLongArray()).containsExactly(1, 2, 3, 4, 6, 7, 0, 0);
      assertThat(batch.targets().toLongArray()).containsExactly(2, 3, 4, 5, 7, 8, 0, 0);
      // targets 4 and 5 (positions ≥ 3) of the first; target 8 of the second
      assertThat(batch.mask().toFloatArray()).containsExactly(0, 0, 1, 1, 0, 1, 0, 0);
      assertThat(batch.tokens()).isEqualTo(6);
    }
  }

  @Test
  void scheduleWarmsUpThenDecaysToTheFloor() {
    LearningRateSchedule schedule = new LearningRateSchedule(1.0, 10, 110, 0.1);
    assertThat(schedule.at(0)).isEqualTo(0.1);
    assertThat(schedule.at(9)).isEqualTo(1.0);
    assertThat(schedule.at(60)).isCloseTo(0.55, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(schedule.at(110)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
  }
}
