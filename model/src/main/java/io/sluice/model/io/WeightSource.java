package io.sluice.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hands each block its tensors by HF name. A checkpoint source checks every shape and remembers
 * what was taken, so the loader can refuse keys nobody asked for; a random source initialises a
 * model for pretraining.
 */
public interface WeightSource {

  /** How a freshly initialised tensor starts. */
  enum Init {
    NORMAL,
    ONES
  }

  /** The tensor named {@code name}, created on {@code manager}; its shape must be {@code shape}. */
  NDArray take(String name, Shape shape, Init init, NDManager manager);

  /** Weights from a checkpoint: every requested key must exist with exactly the requested shape. */
  static Checkpoint checkpoint(Map<String, TensorData> tensors, String origin) {
    return new Checkpoint(tensors, origin);
  }

  /** Seeded N(0, std) matrices and unit norms, the usual Llama initialisation. */
  static WeightSource random(long seed, double std) {
    Random random = new Random(seed);
    return (name, shape, init, manager) -> {
      float[] data = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < data.length; i++) {
        data[i] = init == Init.ONES ? 1f : (float) (random.nextGaussian() * std);
      }
      return manager.create(data, shape);
    };
  }

  /** A checkpoint-backed source. */
  final class Checkpoint implements WeightSource {
    private final Map<String, TensorData> tensors;
    private final String origin;
    private final Set<String> taken = new TreeSet<>();

    private Checkpoint(Map<String, TensorData> tensors, String origin) {
      this.tensors = tensors;
      this.origin = origin;
    }

    @Override
    public NDArray take(String name, Shape shape, Init init, NDManager manager) {
      TensorData t = tensors.get(name);
      if (t == null) {
        throw new ModelFormatException(origin + " is missing tensor '" + name + "' " + shape);
      }
      if (!Arrays.equals(t.shape(), shape.getShape())) {
        throw new ModelFormatException(
            origin
                + " tensor '"
                + name
                + "' has shape "
                + Arrays.toString(t.shape())
                + " but the config needs "
                + shape);
      }
      taken.add(name);
      return manager.create(t.data(), shape);
    }

    /** Fails when the checkpoint holds tensors no block asked for (a wrong config, usually). */
    public void requireAllTaken() {
      Set<String> unexpected = new TreeSet<>(tensors.keySet());
      unexpected.removeAll(taken);
      if (!unexpected.isEmpty()) {
        throw new ModelFormatException(
            origin
                + " has "
                + unexpected.size()
                + " unexpected tensor(s): "
                + unexpected.stream().limit(10).toList());
      }
    }
  }
}
