package io.sluice.curator.pii;

/** Words just before a candidate that decide what an ambiguous number is ("version 1.2.3.4"). */
final class Cues {

  /** How many characters back the cue words may start. */
  private static final int WINDOW = 48;

  private Cues() {}

  /**
   * The index, counted from the candidate (0 = the word right before {@code index}), of the first
   * of up to {@code maxWords} preceding words that is in {@code words}; -1 if none is.
   */
  static int nearest(String text, int index, int maxWords, WordSet words) {
    int limit = Math.max(0, index - WINDOW);
    int pos = index;
    for (int word = 0; word < maxWords; word++) {
      while (pos > limit && !Chars.isAsciiLetter(text.charAt(pos - 1))) {
        pos--;
      }
      int end = pos;
      while (pos > limit && Chars.isAsciiLetter(text.charAt(pos - 1))) {
        pos--;
      }
      if (end == pos) {
        return -1;
      }
      if (words.contains(text, pos, end)) {
        return word;
      }
    }
    return -1;
  }

  static boolean any(String text, int index, int maxWords, WordSet words) {
    return nearest(text, index, maxWords, words) >= 0;
  }
}
