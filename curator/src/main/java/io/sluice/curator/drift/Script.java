package io.sluice.curator.drift;

import java.util.List;

/**
 * The dominant writing system of a text's letters, the {@link Feature#LANGUAGE} feature: a cheap
 * proxy for the language users write in. A track whose users switch from English to Russian or
 * Japanese moves from the Latin to the Cyrillic or Japanese category; a switch between two
 * languages of one script is not seen.
 */
public final class Script {

  /** Categories in bin order; a text without letters is {@code none}. */
  public static final List<String> CATEGORIES =
      List.of(
          "none",
          "latin",
          "cyrillic",
          "greek",
          "arabic",
          "hebrew",
          "devanagari",
          "han",
          "japanese",
          "hangul",
          "thai",
          "other");

  private Script() {}

  /** The category index of the script most of the text's letters are written in. */
  public static int category(CharSequence text) {
    int[] counts = new int[CATEGORIES.size()];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 128) {
        // ASCII is most text: no Character lookups for it.
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
          counts[1]++;
        }
      } else if (Character.isLetter(c)) {
        counts[of(Character.UnicodeScript.of(c))]++;
      }
    }
    int best = 0;
    for (int category = 1; category < counts.length; category++) {
      if (counts[category] > counts[best]) {
        best = category;
      }
    }
    return best;
  }

  private static int of(Character.UnicodeScript script) {
    return switch (script) {
      case LATIN -> 1;
      case CYRILLIC -> 2;
      case GREEK -> 3;
      case ARABIC -> 4;
      case HEBREW -> 5;
      case DEVANAGARI -> 6;
      case HAN -> 7;
      case HIRAGANA, KATAKANA -> 8;
      case HANGUL -> 9;
      case THAI -> 10;
      default -> 11;
    };
  }
}
