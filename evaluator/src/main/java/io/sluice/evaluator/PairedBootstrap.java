package io.sluice.evaluator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of the mean of paired per-item differences: candidate and champion are
 * scored on the same items, so resampling items (not the two sides independently) keeps the pairing
 * and cancels the items' own difficulty.
 */
public final class PairedBootstrap {
  private PairedBootstrap() {}

  /** Mean difference and its interval. */
  public record Interval(
      double mean, double lower, double upper, double confidence, int resamples, long seed) {
    public boolean excludesZero() {
      return lower > 0 || upper < 0;
    }
  }

  /** The interval of mean(candidate − champion); both arrays are aligned item by item. */
  public static Interval of(
      double[] candidate, double[] champion, int resamples, double confidence, long seed) {
    if (candidate.length != champion.length || candidate.length == 0) {
      throw new IllegalArgumentException(
          "need equally many (and some) paired items but got "
              + candidate.length
              + " and "
              + champion.length);
    }
    int n = candidate.length;
    double[] diff = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      diff[i] = candidate[i] - champion[i];
      sum += diff[i];
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += diff[random.nextInt(n)];
      }
      means[r] = s / n;
    }
    Arrays.sort(means);
    double tail = (1 - confidence) / 2;
    int lo = (int) Math.floor(tail * (resamples - 1));
    int hi = (int) Math.ceil((1 - tail) * (resamples - 1));
    return new Interval(sum / n, means[lo], means[hi], confidence, resamples, seed);
  }
}
