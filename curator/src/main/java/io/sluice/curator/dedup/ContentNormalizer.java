package io.sluice.curator.dedup;

import java.text.Normalizer;

/**
 * The canonical form under which two texts count as the same content: Unicode NFKC (so full-width
 * and compatibility characters fold to their plain forms), lower case, punctuation and symbols
 * dropped, and runs of whitespace collapsed to one space. Cosmetic edits (case, spacing,
 * punctuation) therefore never make a copy look new. Punctuation and symbols become word breaks, so
 * "a.b" is "a b".
 */
public final class ContentNormalizer {

  /** {@link #isWordBreak} of each ASCII char, looked up instead of classified per char. */
  private static final boolean[] ASCII_BREAK = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII_BREAK[c] = isWordBreak(c);
    }
  }

  private ContentNormalizer() {}

  /**
   * The normalized form of {@code text}; never null. One pass over the code points, no regex. ASCII
   * text, most of it in practice, skips the NFKC check (ASCII is always NFKC) and takes a table
   * lookup per char; both paths give the same result.
   */
  public static String normalize(String text) {
    String folded =
        isAscii(text) || Normalizer.isNormalized(text, Normalizer.Form.NFKC)
            ? text
            : Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(folded.length());
    boolean pendingSpace = false;
    for (int i = 0; i < folded.length(); ) {
      char c = folded.charAt(i);
      int codePoint = c < 128 ? c : folded.codePointAt(i);
      i += Character.charCount(codePoint);
      if (c < 128 ? ASCII_BREAK[c] : isWordBreak(codePoint)) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      if (c < 128) {
        out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      } else {
        out.appendCodePoint(Character.toLowerCase(codePoint));
      }
    }
    return out.toString();
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }

  /** Whitespace, punctuation (Unicode P*) and symbols (S*). */
  private static boolean isWordBreak(int codePoint) {
    if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
      return true;
    }
    switch (Character.getType(codePoint)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
      case Character.MATH_SYMBOL:
      case Character.CURRENCY_SYMBOL:
      case Character.MODIFIER_SYMBOL:
      case Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }
}
