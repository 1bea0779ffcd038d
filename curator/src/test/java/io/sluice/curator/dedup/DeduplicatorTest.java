package io.sluice.curator.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeduplicatorTest {

  private static final String SCOPE = "acme/support/SFT";
  private static final long DAY = Duration.ofDays(1).toMillis();

  private final MapDedupStore store = new MapDedupStore();
  private final Deduplicator dedup = new Deduplicator(DedupConfig.defaults(), store);

  private Optional<Duplicate> admit(String scope, String id, String text, long time) {
    String normalized = ContentNormalizer.normalize(text);
    return dedup.admit(scope, id, Integer.toHexString(normalized.hashCode()), normalized, time);
  }

  /** A 100-word text of varied words, the same for the same seed. */
  static String words(long seed, int count) {
    Random random = new Random(seed);
    return IntStream.range(0, count)
        .mapToObj(i -> "w" + Integer.toString(random.nextInt(5_000), 36))
        .collect(Collectors.joining(" "));
  }

  @Test
  void shouldDropAnExactCopyNamingTheOriginal() {
    assertThat(admit(SCOPE, "a", "How do I reset my router?", 0)).isEmpty();

    assertThat(admit(SCOPE, "b", "How do I reset my router?", 1))
        .get()
        .satisfies(
            dup -> {
              assertThat(dup.duplicateOf()).isEqualTo("a");
              assertThat(dup.exact()).isTrue();
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "how do i reset my router",
        "HOW DO I RESET MY ROUTER?!",
        "  How   do I\treset my router ?",
        "Ｈｏｗ do I reset my router?"
      })
  void shouldDropCosmeticCopies(String copy) {
    admit(SCOPE, "a", "How do I reset my router?", 0);

    assertThat(admit(SCOPE, "b", copy, 1)).get().extracting(Duplicate::duplicateOf).isEqualTo("a");
  }

  @Test
  void shouldDropANearCopyWithOneWordChangedInAHundred() {
    String original = words(1, 100);
    String[] copy = original.split(" ");
    copy[50] = "changed";
    admit(SCOPE, "a", original, 0);

    Optional<Duplicate> result = admit(SCOPE, "b", String.join(" ", copy), 1);

    assertThat(result)
        .get()
        .satisfies(
            dup -> {
              assertThat(dup.duplicateOf()).isEqualTo("a");
              assertThat(dup.exact()).isFalse();
              assertThat(dup.similarity()).isGreaterThanOrEqualTo(0.8);
            });
  }

  @Test
  void shouldKeepDistinctTextsThatShareALongOpeningSentence() {
    String opening =
        "Thank you for contacting Acme support about your account and billing question today. ";
    admit(SCOPE, "a", opening + words(2, 60), 0);

    assertThat(admit(SCOPE, "b", opening + words(3, 60), 1)).isEmpty();
  }

  @Test
  void shouldKeepUnrelatedTexts() {
    for (int i = 0; i < 200; i++) {
      assertThat(admit(SCOPE, "id" + i, words(100 + i, 40), i)).as("text %d", i).isEmpty();
    }
  }

  @Test
  void shouldKeepACopyArrivingAfterTheRetentionWindow() {
    admit(SCOPE, "a", "How do I reset my router?", 0);

    assertThat(admit(SCOPE, "b", "How do I reset my router?", 31 * DAY)).isEmpty();
    assertThat(admit(SCOPE, "c", "How do I reset my router?", 31 * DAY + 1))
        .get()
        .extracting(Duplicate::duplicateOf)
        .isEqualTo("b");
  }

  @Test
  void shouldKeepANearCopyArrivingAfterTheRetentionWindow() {
    String original = words(4, 100);
    admit(SCOPE, "a", original, 0);

    assertThat(admit(SCOPE, "b", original.replaceFirst("w", "x"), 31 * DAY)).isEmpty();
  }

  @Test
  void shouldKeepScopesApart() {
    admit("acme/support/SFT", "a", "How do I reset my router?", 0);

    assertThat(admit("globex/support/SFT", "b", "How do I reset my router?", 1)).isEmpty();
    assertThat(admit("acme/sales/SFT", "c", "How do I reset my router?", 1)).isEmpty();
  }

  @Test
  void shouldNeverHoldMoreThanTheCapAndForgetTheOldestFirst() {
    Deduplicator capped =
        new Deduplicator(new DedupConfig(3, 120, 20, 0.8, 30 * DAY, 10, 200), store);
    for (int i = 0; i < 25; i++) {
      capped.admit(SCOPE, "id" + i, "hash" + i, words(i, 30), i);
      assertThat(capped.size(SCOPE)).isLessThanOrEqualTo(10);
    }

    assertThat(store.map).hasSize(10);
    assertThat(capped.indexSize(SCOPE))
        .as("one exact and 20 band pairs per entry")
        .isEqualTo(10 * 21);
    assertThat(capped.admit(SCOPE, "again", "hash0", words(0, 30), 100))
        .as("oldest was forgotten")
        .isEmpty();
    assertThat(capped.admit(SCOPE, "again2", "hash24", words(24, 30), 101))
        .get()
        .extracting(Duplicate::duplicateOf)
        .isEqualTo("id24");
  }

  @Test
  void shouldRemoveEveryTraceOfExpiredEntriesWhenSwept() {
    for (int i = 0; i < 5; i++) {
      admit(SCOPE, "old" + i, words(10 + i, 30), i);
    }
    admit(SCOPE, "new", words(99, 30), 20 * DAY);

    int removed = dedup.purgeExpired(35 * DAY);

    assertThat(removed).isEqualTo(5);
    assertThat(dedup.size(SCOPE)).isEqualTo(1);
    assertThat(store.map).hasSize(1);
    assertThat(dedup.indexSize(SCOPE)).isEqualTo(21);
  }

  @Test
  void shouldRebuildItsIndexesFromTheStoreAfterARestart() {
    String original = words(5, 100);
    admit(SCOPE, "a", "How do I reset my router?", 0);
    admit(SCOPE, "b", original, 1);

    Deduplicator restarted = new Deduplicator(DedupConfig.defaults(), store);
    String normalized = ContentNormalizer.normalize(original.replaceFirst("w", "x"));

    assertThat(restarted.admit(SCOPE, "c", "other", normalized, 2))
        .get()
        .extracting(Duplicate::duplicateOf)
        .isEqualTo("b");
    String exact = ContentNormalizer.normalize("How do I reset my router?");
    assertThat(restarted.admit(SCOPE, "d", Integer.toHexString(exact.hashCode()), exact, 3))
        .get()
        .extracting(Duplicate::duplicateOf)
        .isEqualTo("a");
    assertThat(restarted.indexSize(SCOPE)).isEqualTo(dedup.indexSize(SCOPE));
  }

  @Test
  void shouldDecideTheSameWayForTheSameInputOrder() {
    MapDedupStore other = new MapDedupStore();
    Deduplicator second = new Deduplicator(DedupConfig.defaults(), other);
    for (int i = 0; i < 50; i++) {
      String text = words(i % 20, 50);
      String normalized = ContentNormalizer.normalize(text);
      assertThat(second.admit(SCOPE, "id" + i, "h" + (i % 20), normalized, i))
          .isEqualTo(dedup.admit(SCOPE, "id" + i, "h" + (i % 20), normalized, i));
    }
    assertThat(other.map.keySet())
        .usingElementComparator(java.util.Arrays::compareUnsigned)
        .containsExactlyElementsOf(store.map.keySet());
    assertThat(other.map.values())
        .usingElementComparator(java.util.Arrays::compareUnsigned)
        .containsExactlyElementsOf(store.map.values());
  }
}
