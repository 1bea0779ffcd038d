package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class TrainerDevicesTest {

  @Test
  void cpuIsAlwaysTheCpu() {
    assertThat(TrainerDevices.select("cpu")).isEqualTo(Device.cpu());
  }

  @Test
  void cudaWithoutAGpuRefusesRatherThanTrainOnTheCpu() {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "a GPU is visible here");
    assertThatThrownBy(() -> TrainerDevices.select("cuda"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("trainer.device=cuda");
  }
}
