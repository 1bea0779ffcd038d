package io.sluice.curator.dedup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
  private final long[] multipliers;
  private final long[] increments;

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
    this.multipliers = new long[hashes];
    this.increments = new long[hashes];
    long state = 0x5eed511ceL; // fixed, so signatures stay comparable across restarts and releases
    for (int i = 0; i < hashes; i++) {
      state += 0x9e3779b97f4a7c15L;
      multipliers[i] = mix(state) | 1; // odd, so multiplication permutes the 64-bit values
      state += 0x9e3779b97f4a7c15L;
      increments[i] = mix(state);
    }
  }

  public int bands() {
    return bands;
  }

  /**
   * The signature of {@code normalizedText} (words separated by single spaces). Hash function i is
   * multiply-add-shift over the mixed shingle hash ({@code (a_i * x + b_i) >>> 32}), two operations
   * per shingle and function instead of a full mix, which dominates the cost of a signature.
   */
  public int[] signature(String normalizedText) {
    int[] signature = new int[multipliers.length];
    Arrays.fill(signature, -1); // the unsigned maximum
    for (long shingle : shingleHashes(normalizedText)) {
      long x = mix(shingle);
      for (int i = 0; i < multipliers.length; i++) {
        int value = (int) ((x * multipliers[i] + increments[i]) >>> 32);
        if (Integer.compareUnsigned(value, signature[i]) < 0) {
          signature[i] = value;
        }
      }
    }
    return signature;
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
          "signatures of different lengths (" + a.length + ", " + b.length + ") are not comparable");
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
          "signatures of different lengths (" + a.length + ", " + b.length + ") are not comparable");
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

  /** Hashes of the word shingles; a text shorter than one shingle is a single shingle. */
  List<Long> shingleHashes(String normalizedText) {
    List<Long> hashes = new ArrayList<>();
    if (normalizedText.isEmpty()) {
      return hashes;
    }
    String[] words = normalizedText.split(" ");
    int count = Math.max(1, words.length - shingleWords + 1);
    for (int start = 0; start < count; start++) {
      long hash = FNV_OFFSET;
      int end = Math.min(words.length, start + shingleWords);
      for (int w = start; w < end; w++) {
        hash = fnv(hash, words[w]);
        hash = (hash ^ ' ') * FNV_PRIME;
      }
      hashes.add(hash);
    }
    return hashes;
  }

  private static long fnv(long hash, String word) {
    for (int i = 0; i < word.length(); i++) {
      hash = (hash ^ word.charAt(i)) * FNV_PRIME;
    }
    return hash;
  }

  /** SplitMix64's finalizer: a fast bijective 64-bit mixer with good avalanche. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
