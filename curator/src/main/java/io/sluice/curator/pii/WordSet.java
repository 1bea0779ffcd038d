package io.sluice.curator.pii;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * A set of short lowercase words looked up straight from a region of text, ignoring ASCII case and
 * the separators {@code _} and {@code -} ("first_name" is "firstname"), without allocating: each
 * word of up to 12 characters from {@code a-z ' .} packs into a long. Detectors consult these sets
 * for every candidate, so lookups must stay cheap.
 */
final class WordSet {

  private static final int MAX_LENGTH = 12;

  private final long[] keys;

  WordSet(Collection<String> words) {
    this.keys =
        words.stream()
            .mapToLong(
                word -> {
                  long key = key(word.toLowerCase(Locale.ROOT), 0, word.length());
                  if (key < 0) {
                    throw new IllegalArgumentException("not a short a-z word: " + word);
                  }
                  return key;
                })
            .sorted()
            .distinct()
            .toArray();
  }

  private WordSet(long[] keys) {
    this.keys = keys;
  }

  /** This set and {@code more}. */
  WordSet with(Collection<String> more) {
    return with(new WordSet(more));
  }

  /** This set and {@code more}. */
  WordSet with(WordSet more) {
    long[] added = more.keys;
    long[] all = Arrays.copyOf(keys, keys.length + added.length);
    System.arraycopy(added, 0, all, keys.length, added.length);
    return new WordSet(Arrays.stream(all).sorted().distinct().toArray());
  }

  /** Whether {@code text[start, end)} is in the set, ignoring ASCII case. */
  boolean contains(String text, int start, int end) {
    long key = key(text, start, end);
    return key >= 0 && Arrays.binarySearch(keys, key) >= 0;
  }

  /** Five bits a character, or -1 for a word this set cannot hold. */
  private static long key(String text, int start, int end) {
    if (end <= start || end - start > 2 * MAX_LENGTH) {
      return -1;
    }
    long key = 0;
    int kept = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      int code;
      if (c >= 'a' && c <= 'z') {
        code = c - 'a' + 1;
      } else if (c >= 'A' && c <= 'Z') {
        code = c - 'A' + 1;
      } else if (c == '\'') {
        code = 27;
      } else if (c == '.') {
        code = 28;
      } else if (c == '_' || c == '-') {
        continue;
      } else {
        return -1;
      }
      if (++kept > MAX_LENGTH) {
        return -1;
      }
      key = key << 5 | code;
    }
    return kept == 0 ? -1 : key;
  }
}
