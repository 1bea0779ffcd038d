package io.sluice.curator.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * One feature of one track: a reference distribution (the first {@code referenceSize} observations,
 * or a pinned baseline) and a rolling current window of the last {@code windowSize} observations.
 * Thread-safe: observations and the gauge read may come from different threads.
 */
public final class FeatureDrift {

  private final Feature feature;
  private final long[] reference;
  private final int referenceSize;
  private final boolean pinned;
  private long referenceTotal;
  private final int[] window;
  private final long[] current;
  private int next;
  private int filled;
  private final double epsilon;

  private FeatureDrift(
      Feature feature,
      long[] reference,
      int referenceSize,
      boolean pinned,
      int windowSize,
      double epsilon) {
    if (windowSize < 1) {
      throw new IllegalArgumentException(
          "drift window must be >= 1 observation but was " + windowSize);
    }
    this.feature = feature;
    this.reference = reference;
    this.referenceSize = referenceSize;
    this.pinned = pinned;
    for (long count : reference) {
      referenceTotal += count;
    }
    this.window = new int[windowSize];
    this.current = new long[feature.bins()];
    this.epsilon = epsilon;
  }

  /** A feature whose reference is its first {@code referenceSize} observations. */
  public static FeatureDrift learning(
      Feature feature, int referenceSize, int windowSize, double epsilon) {
    if (referenceSize < 1) {
      throw new IllegalArgumentException(
          "drift reference must be >= 1 observation but was " + referenceSize);
    }
    return new FeatureDrift(
        feature, new long[feature.bins()], referenceSize, false, windowSize, epsilon);
  }

  /** A feature compared with fixed baseline bin counts. */
  public static FeatureDrift pinned(
      Feature feature, long[] baseline, int windowSize, double epsilon) {
    if (baseline.length != feature.bins()) {
      throw new IllegalArgumentException(
          "baseline for "
              + feature.tag()
              + " has "
              + baseline.length
              + " bins; it needs "
              + feature.bins());
    }
    return new FeatureDrift(feature, baseline.clone(), 0, true, windowSize, epsilon);
  }

  /** Adds one observation to the reference (while it is being learned) and to the window. */
  public synchronized void observe(double value) {
    int bin = feature.bin(value);
    if (!pinned && referenceTotal < referenceSize) {
      reference[bin]++;
      referenceTotal++;
    }
    if (filled == window.length) {
      current[window[next]]--;
    } else {
      filled++;
    }
    window[next] = bin;
    current[bin]++;
    next = (next + 1) % window.length;
  }

  /** PSI of the window against the reference; NaN until the reference is complete. */
  public synchronized double psi() {
    if (!pinned && referenceTotal < referenceSize) {
      return Double.NaN;
    }
    return Psi.of(reference, current, epsilon);
  }

  /** Observations in the reference. */
  public synchronized long referenceSize() {
    return referenceTotal;
  }

  /** Observations in the current window. */
  public synchronized int windowSize() {
    return filled;
  }

  /**
   * Writes the reference and the window (in observation order, oldest first), so that a restarted
   * curator continues with the same baseline and recent past instead of learning them again.
   */
  public synchronized void save(DataOutput out) throws IOException {
    out.writeBoolean(pinned);
    out.writeShort(reference.length);
    for (long count : reference) {
      out.writeLong(count);
    }
    out.writeInt(filled);
    int oldest = filled == window.length ? next : 0;
    for (int i = 0; i < filled; i++) {
      out.writeByte(window[(oldest + i) % window.length]);
    }
  }

  /**
   * Replaces this feature's state with a saved one. A pinned baseline stays as configured; a saved
   * learned reference with another number of bins (a changed feature) is dropped and learned again.
   * A window saved with another size keeps its newest observations that fit.
   */
  public synchronized void load(DataInput in) throws IOException {
    boolean savedPinned = in.readBoolean();
    long[] savedReference = new long[in.readShort()];
    for (int i = 0; i < savedReference.length; i++) {
      savedReference[i] = in.readLong();
    }
    int savedFilled = in.readInt();
    int[] saved = new int[savedFilled];
    for (int i = 0; i < savedFilled; i++) {
      saved[i] = in.readByte();
    }
    if (savedReference.length != reference.length) {
      return;
    }
    if (!pinned && !savedPinned) {
      System.arraycopy(savedReference, 0, reference, 0, reference.length);
      referenceTotal = Arrays.stream(reference).sum();
    }
    Arrays.fill(current, 0);
    filled = 0;
    next = 0;
    for (int i = Math.max(0, savedFilled - window.length); i < savedFilled; i++) {
      if (saved[i] < 0 || saved[i] >= current.length) {
        continue;
      }
      window[next] = saved[i];
      current[saved[i]]++;
      filled++;
      next = (next + 1) % window.length;
    }
  }

  /** The reference bin counts, e.g. to save as a pinned baseline. */
  public synchronized long[] referenceCounts() {
    return reference.clone();
  }
}
