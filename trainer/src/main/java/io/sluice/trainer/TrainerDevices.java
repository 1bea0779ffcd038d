package io.sluice.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sluice.model.Devices;

/** {@code trainer.device}: auto picks what DJL sees; cpu and cuda are demands. */
final class TrainerDevices {
  private TrainerDevices() {}

  static Device select(String setting) {
    // Loads the engine with its thread settings first, whatever the choice.
    Device preferred = Devices.preferred();
    return switch (setting) {
      case "cpu" -> Device.cpu();
      case "cuda" -> {
        if (Engine.getEngine("PyTorch").getGpuCount() == 0) {
          throw new IllegalStateException(
              "trainer.device=cuda but PyTorch sees no GPU: use the CUDA build"
                  + " (mvn -Pcuda) on a host with a GPU, or trainer.device=auto|cpu");
        }
        yield Device.gpu(0);
      }
      default -> preferred;
    };
  }
}
