package io.sluice.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device once per JVM: the first GPU DJL's PyTorch engine sees, else the CPU.
 *
 * <p>A GPU host gets CUDA natives either from DJL's CUDA native jar ({@code
 * ai.djl.pytorch:pytorch-native-cu124}, linux-x86_64) on the classpath in place of the CPU jar, or
 * from an installed libtorch through {@code PYTORCH_LIBRARY_PATH} (with {@code PYTORCH_VERSION} and
 * {@code PYTORCH_FLAVOR=cu124}); see docs/model.md.
 */
public final class Devices {
  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
  private static volatile Device chosen;

  private Devices() {}

  /** libtorch's CPU threads; fixed when the engine loads, so set before the first use. */
  static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

  public static Device preferred() {
    if (chosen == null) {
      synchronized (Devices.class) {
        if (chosen == null) {
          // libtorch sizes its pool by the host's cores; a container's CPU limit is what the JVM
          // reports, and more threads than that only contend.
          if (System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(
                THREADS_PROPERTY, Integer.toString(Runtime.getRuntime().availableProcessors()));
          }
          Engine engine = Engine.getEngine("PyTorch");
          Device device = engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
          LOG.info(
              "model device: {} (PyTorch {}, {} GPU(s) visible, {} CPU threads)",
              device,
              engine.getVersion(),
              engine.getGpuCount(),
              System.getProperty(THREADS_PROPERTY));
          chosen = device;
        }
      }
    }
    return chosen;
  }
}
