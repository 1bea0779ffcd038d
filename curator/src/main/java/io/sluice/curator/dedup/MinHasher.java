package io.sluice.curator.dedup;

import java.util.Arrays;

/**
 * MinHash signatures over word shingles, and their LSH band keys. Two texts' signatures agree in
 * each position with probability equal to the Jaccard similarity of their shingle sets; LSH makes
 * them lookup candidates when all {@code rows} values of at least one band agree, which happens
 * with probability {@code 1 - (1 - s^rows)^bands} (see docs/curator.md for the chosen defaults).
 */
public final class MinHasher {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final int shingleWords;
  private final int bands;
  private final int rows;
  private final int[] multipliers;
  private final int[] increments;

  /**
   * @param shingleWords words per shingle
   * @param hashes signature length (number of hash functions)
   * @param bands LSH bands; must divide {@code hashes}
   */
  public MinHasher(int shingleWords, int hashes, int bands) {
    if (shingleWords < 1) {
      throw new IllegalArgumentException("shingle size must be >= 1 word but was " + shingleWords);
    }
    if (bands < 1 || hashes < bands || hashes % bands != 0) {
      throw new IllegalArgumentException(
          "hashes (" + hashes + ") must be a positive multiple of bands (" + bands + ")");
    }
    this.shingleWords = shingleWords;
    this.bands = bands;
    this.rows = hashes / bands;
    this.multipliers = new int[hashes];
    this.increments = new int[hashes];
    long state = 0x5eed511ceL; // fixed, so signatures stay comparable across restarts and releases
    for (int i = 0; i < hashes; i++) {
      state += 0x9e3779b97f4a7c15L;
      multipliers[i] = (int) mix(state) | 1; // odd, so multiplication permutes the 32-bit values
      state += 0x9e3779b97f4a7c15L;
      increments[i] = (int) mix(state);
    }
  }

  public int bands() {
    return bands;
  }

  /**
   * The signature of {@code normalizedText} (words separated by single spaces). Hash function i is
   * {@code (a_i * x + b_i) >>> 1} in 32-bit arithmetic over the mixed shingle hash x, with a_i odd,
   * and the signature keeps each function's minimum. The minimum is taken with a branch-free bit
   * trick rather than {@code Math.min}: C2 on JDK 17 turns this loop (multiply, add, shift, sub,
   * and, xor over int arrays) into SIMD instructions, but not a loop with {@code Math.min}, and the
   * signature was a quarter of the curator's CPU time (100 shingles: 14.8 µs with the 64-bit form
   * this replaced, 2.7 µs with this one). Dropping the lowest bit keeps values in [0, 2^31), so
   * {@code v - m} cannot overflow and its sign says which is smaller.
   */
  public int[] signature(String normalizedText) {
    int hashes = multipliers.length;
    int[] minima = new int[hashes];
    Arrays.fill(minima, Integer.MAX_VALUE);
    int[] a = multipliers;
    int[] b = increments;
    for (long shingle : shingleHashes(normalizedText)) {
      int x = (int) (mix(shingle) >>> 32);
      for (int i = 0; i < hashes; i++) {
        int value = (x * a[i] + b[i]) >>> 1;
        int min = minima[i];
        minima[i] = min ^ ((value ^ min) & ((value - min) >> 31));
      }
    }
    return minima;
  }

  /** One key per band: a hash of that band's rows. */
  public long[] bandKeys(int[] signature) {
    long[] keys = new long[bands];
    for (int band = 0; band < bands; band++) {
      long hash = FNV_OFFSET;
      for (int row = 0; row < rows; row++) {
        hash = (hash ^ signature[band * rows + row]) * FNV_PRIME;
      }
      keys[band] = mix(hash);
    }
    return keys;
  }

  /** Estimated Jaccard similarity: the share of positions where the signatures agree. */
  public static double similarity(int[] a, int[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "signatures of different lengths ("
              + a.length
              + ", "
              + b.length
              + ") are not comparable");
    }
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return (double) same / a.length;
  }

  /**
   * Whether the signatures agree in at least {@code minSame} positions. Stops as soon as the answer
   * is known, so rejecting a dissimilar candidate costs a fraction of a full comparison.
   */
  public static boolean agreeAtLeast(int[] a, int[] b, int minSame) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "signatures of different lengths ("
              + a.length
              + ", "
              + b.length
              + ") are not comparable");
    }
    int maxDiffering = a.length - minSame;
    int differing = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i] && ++differing > maxDiffering) {
        return false;
      }
    }
    return true;
  }

  /**
   * Hashes of the word shingles; a text shorter than one shingle is a single shingle. Each word is
   * hashed once (FNV-1a over its chars), and a shingle's hash folds its words' hashes in order with
   * FNV's multiply, so a character is read once rather than once per shingle it is in. Words are
   * found by scanning for spaces rather than by splitting: this runs for every record, and the
   * split's strings were most of its allocation.
   */
  long[] shingleHashes(String normalizedText) {
    if (normalizedText.isEmpty()) {
      return new long[0];
    }
    int words = 1;
    for (int i = 0; i < normalizedText.length(); i++) {
      if (normalizedText.charAt(i) == ' ') {
        words++;
      }
    }
    long[] wordHashes = new long[words];
    long hash = FNV_OFFSET;
    for (int i = 0, w = 0; i < normalizedText.length(); i++) {
      char c = normalizedText.charAt(i);
      if (c == ' ') {
        wordHashes[w++] = hash;
        hash = FNV_OFFSET;
      } else {
        hash = (hash ^ c) * FNV_PRIME;
      }
    }
    wordHashes[words - 1] = hash;
    int count = Math.max(1, words - shingleWords + 1);
    long[] hashes = new long[count];
    for (int start = 0; start < count; start++) {
      int end = Math.min(words, start + shingleWords);
      long shingle = FNV_OFFSET;
      for (int w = start; w < end; w++) {
        shingle = (shingle ^ wordHashes[w]) * FNV_PRIME;
      }
      hashes[start] = shingle;
    }
    return hashes;
  }

  /** SplitMix64's finalizer: a fast bijective 64-bit mixer with good avalanche. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
