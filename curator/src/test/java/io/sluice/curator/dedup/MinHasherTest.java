package io.sluice.curator.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MinHasherTest {

  private final MinHasher hasher = new MinHasher(3, 120, 20);

  @Test
  void shouldEstimateJaccardSimilarityWithinSamplingError() {
    // Two texts of 200 distinct words sharing the first 150: shingle Jaccard = 148 / 252 ~ 0.587.
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      a.append("a").append(i).append(' ');
      b.append(i < 150 ? "a" + i : "b" + i).append(' ');
    }
    double estimate =
        MinHasher.similarity(
            hasher.signature(a.toString().trim()), hasher.signature(b.toString().trim()));

    // 120 hashes: standard error sqrt(0.587 * 0.413 / 120) ~ 0.045; allow three of them.
    assertThat(estimate).isBetween(0.587 - 0.135, 0.587 + 0.135);
  }

  @Test
  void shouldDecideAgreementExactlyAtTheBoundary() {
    int[] a = {1, 2, 3, 4, 5};
    int[] b = {1, 2, 3, 9, 9};

    assertThat(MinHasher.agreeAtLeast(a, b, 3)).isTrue();
    assertThat(MinHasher.agreeAtLeast(a, b, 4)).isFalse();
    assertThat(MinHasher.agreeAtLeast(a, a, 5)).isTrue();
    assertThat(MinHasher.agreeAtLeast(a, b, 0)).isTrue();
  }

  @Test
  void shouldGiveIdenticalSignaturesAndBandsForIdenticalText() {
    int[] first = hasher.signature("reset the router and wait a minute");
    int[] second = new MinHasher(3, 120, 20).signature("reset the router and wait a minute");

    assertThat(second).isEqualTo(first);
    assertThat(hasher.bandKeys(second)).isEqualTo(hasher.bandKeys(first));
  }

  @Test
  void shouldTreatATextShorterThanAShingleAsOneShingle() {
    assertThat(hasher.shingleHashes("hi there")).hasSize(1);
    assertThat(hasher.shingleHashes("")).isEmpty();
    assertThat(hasher.shingleHashes("one two three four")).hasSize(2);
  }

  /**
   * Stored signatures are compared with new ones across restarts and releases, so the shingle hash
   * is pinned: each word's FNV-1a hash, folded in order with FNV's multiply.
   */
  @Test
  void shouldHashEachShingleByFoldingItsWordsFnvHashes() {
    assertThat(hasher.shingleHashes("one two three four"))
        .containsExactly(fold("one", "two", "three"), fold("two", "three", "four"));
    assertThat(hasher.shingleHashes("hi there")).containsExactly(fold("hi", "there"));
  }

  private static long fold(String... words) {
    long hash = 0xcbf29ce484222325L;
    for (String word : words) {
      hash = (hash ^ fnv1a(word)) * 0x100000001b3L;
    }
    return hash;
  }

  private static long fnv1a(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
    }
    return hash;
  }

  @Test
  void shouldRefuseBandsThatDoNotDivideTheHashes() {
    assertThatThrownBy(() -> new MinHasher(3, 100, 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiple of bands");
  }
}
