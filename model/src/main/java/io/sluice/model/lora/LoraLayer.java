package io.sluice.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.layers.Scalars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The low-rank branch PEFT adds to one linear: {@code B(A(dropout(x))) · scaling}.
 *
 * <p>A: (r, in), Kaiming-uniform; B: (out, r), zeros, so a fresh adapter changes nothing.
 */
final class LoraLayer {
  private static final int MASK_BLOCK = 1 << 16;
  private static final ThreadLocal<ByteBuffer> MASK_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));
  private final NDArray loraA; // (r, in)
  private final NDArray loraB; // (out, r)
  private final float scaling;
  private final float dropout;

  LoraLayer(NDArray loraA, NDArray loraB, double scaling, double dropout) {
    this.loraA = loraA;
    this.loraB = loraB;
    this.scaling = (float) scaling;
    this.dropout = (float) dropout;
  }

  /**
   * x: (..., in) → (..., out).
   *
   * <p>Inverted dropout keeps each input value with probability 1 − p and scales it by 1 / (1 − p);
   * the scale is folded into {@code scaling} (B·A is linear), so the mask is plain 0/1.
   *
   * @param random the run's own generator for the dropout mask: libtorch's dropout would draw from
   *     the process-wide generator, which another thread's run shares
   */
  NDArray delta(NDArray x, boolean training, SplittableRandom random) {
    boolean drop = training && dropout > 0;
    NDArray input = drop ? x.mul(dropoutMask(x.getShape(), x, random)) : x;
    float scale = drop ? (float) (scaling / keepProbability()) : scaling;
    // Scaled at rank r rather than at the output: an (..., r) pass instead of an (..., out) one.
    NDArray low =
        input.getNDArrayInternal().linear(input, loraA, null).singletonOrThrow(); // (..., r)
    low = low.mul(Scalars.of(low, scale));
    return low.getNDArrayInternal().linear(low, loraB, null).singletonOrThrow(); // (..., out)
  }

  /**
   * The probability that a value survives dropout: 1 − p with p rounded to a multiple of 2^-16,
   * because each mask value is decided by 16 random bits (a quarter of a {@code nextLong}).
   */
  private double keepProbability() {
    return 1 - dropThreshold() / 65536.0;
  }

  private int dropThreshold() {
    return (int) Math.round(dropout * 65536.0);
  }

  /**
   * A 0/1 mask of {@code shape} in x's type, in memory that libtorch owns. An array DJL creates
   * from Java data keeps pointing into a Java buffer that is released when the array is closed and
   * collected, but autograd keeps the mask until backward, after the layer's arrays are closed; so
   * the mask is drawn into one reused buffer per thread and copied.
   *
   * <p>Every value takes 16 bits of one {@code nextLong}, four values per draw: one draw per value
   * cost a SmolLM2-sized training step about a tenth of its time. Blocks of {@link #MASK_BLOCK}
   * values are drawn in parallel, each from its own generator seeded from {@code random} in block
   * order, so the mask depends on the seed alone, not on the number of threads (libtorch waits
   * meanwhile). The mask is float rather than boolean although it then takes four bytes a value
   * while autograd keeps it: libtorch converts a boolean operand to float on every multiplication,
   * forward and backward, which cost the step more than the multiplications.
   */
  private NDArray dropoutMask(Shape shape, NDArray x, SplittableRandom random) {
    int n = Math.toIntExact(shape.size());
    ByteBuffer buffer = MASK_BUFFER.get();
    if (buffer.capacity() < 4L * n) {
      buffer = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
      MASK_BUFFER.set(buffer);
    }
    int threshold = dropThreshold();
    int blocks = (n + MASK_BLOCK - 1) / MASK_BLOCK;
    long[] seeds = new long[blocks];
    for (int i = 0; i < blocks; i++) {
      seeds[i] = random.nextLong();
    }
    ByteBuffer target = buffer;
    IntStream.range(0, blocks)
        .parallel()
        .forEach(
            block ->
                drawBlock(
                    target,
                    block * MASK_BLOCK,
                    Math.min(n, (block + 1) * MASK_BLOCK),
                    new SplittableRandom(seeds[block]),
                    threshold));
    ByteBuffer drawn =
        buffer.duplicate().position(0).limit(4 * n).slice().order(ByteOrder.nativeOrder());
    NDArray view = x.getManager().create(drawn, shape, DataType.FLOAT32);
    NDArray mask = view.duplicate().toType(x.getDataType(), false);
    view.close();
    return mask;
  }

  /** Floats 0/1 into {@code buffer} for values [from, to): 1 when 16 random bits ≥ threshold. */
  private static void drawBlock(
      ByteBuffer buffer, int from, int to, SplittableRandom random, int threshold) {
    long bits = 0;
    for (int i = from; i < to; i++) {
      if (((i - from) & 3) == 0) {
        bits = random.nextLong();
      }
      buffer.putFloat(4 * i, (bits & 0xFFFF) >= threshold ? 1f : 0f);
      bits >>>= 16;
    }
  }

  /** The dense update {@code scaling · B·A}: (out, in). */
  NDArray deltaWeight() {
    return loraB.matMul(loraA).mul(scaling);
  }

  NDArray loraA() {
    return loraA;
  }

  NDArray loraB() {
    return loraB;
  }
}
