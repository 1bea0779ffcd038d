package io.sluice.curator.drift;

/** Population Stability Index between two binned distributions. */
public final class Psi {

  private Psi() {}

  /**
   * {@code sum((c_i - r_i) * ln(c_i / r_i))} over bins, with each share smoothed as {@code (count +
   * epsilon) / (total + epsilon * bins)} so an empty bin gives a large but finite term instead of
   * infinity. Conventional reading: below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 major.
   *
   * @return the index, or NaN when either side has no observations
   */
  public static double of(long[] reference, long[] current, double epsilon) {
    if (reference.length != current.length) {
      throw new IllegalArgumentException(
          "bin counts differ: reference " + reference.length + ", current " + current.length);
    }
    long referenceTotal = total(reference);
    long currentTotal = total(current);
    if (referenceTotal == 0 || currentTotal == 0) {
      return Double.NaN;
    }
    double psi = 0;
    int bins = reference.length;
    for (int i = 0; i < bins; i++) {
      double r = (reference[i] + epsilon) / (referenceTotal + epsilon * bins);
      double c = (current[i] + epsilon) / (currentTotal + epsilon * bins);
      psi += (c - r) * Math.log(c / r);
    }
    return psi;
  }

  private static long total(long[] counts) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }
}
