package io.sluice.model.io;

import java.util.Arrays;

/**
 * One named tensor on the Java heap, always widened to float32 (DJL aborts the JVM on bf16).
 *
 * @param shape the tensor's dimensions, row-major
 * @param data {@code product(shape)} values
 */
public record TensorData(long[] shape, float[] data) {

  public TensorData {
    long size = elementCount(shape);
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " holds "
              + size
              + " values but data has "
              + data.length);
    }
  }

  static long elementCount(long[] shape) {
    long size = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      size = Math.multiplyExact(size, d);
    }
    return size;
  }
}
