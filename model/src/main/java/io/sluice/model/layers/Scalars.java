package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;

/**
 * Constant operands that autograd may keep. DJL turns a Java number operand ({@code x.mul(0.5f)})
 * into a 0-dim array over a Java direct buffer and closes that array as soon as the call returns.
 * When autograd records the operation it keeps the operand for backward (a product's gradient is
 * multiplied by it, a power's too), and backward reads it after the garbage collector may have
 * freed the buffer and the allocator written its own bookkeeping there: the gradient then comes out
 * NaN, ±1e30 or silently wrong, depending on when the collector ran. A constant from here lives in
 * memory libtorch allocated and reference-counts, so autograd's reference keeps it alive.
 *
 * <p>Every multiplication, division or power by a constant that may lie on a gradient's path takes
 * its constant from here; addition and subtraction keep no operand.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code value} as a 0-dim float32 array in libtorch's memory, on {@code like}'s device. */
  public static NDArray of(NDArray like, float value) {
    try (NDArray wrapped = like.getManager().create(value)) {
      return wrapped.duplicate();
    }
  }
}
