package io.sluice.curator.pii;

import java.util.List;

/**
 * Whether an identifier word ("order", "ticket", "IMEI") names a number, so that a number shaped
 * like a card, phone or SSN is kept as the id it is. A leaked card is far worse than a redacted
 * barcode, so a cue is trusted only when it names that very value: it stands directly before it,
 * with at most a label such as "number", "no.", "#" or ":" in between. A cue never reaches across
 * sentence punctuation, a line break or another number, so "SKU 1234. Use 4111 1111 1111 1111" and
 * "order 1234, 4111 1111 1111 1111" leave the card unshielded, and in a list of several values
 * after one cue only the first is named by it.
 */
final class IdentifierCue {

  /**
   * Words that label a value without saying what it is: "order number", "ticket no.", "case ID".
   */
  private static final WordSet LABELS =
      new WordSet(
          List.of("number", "numbers", "num", "no", "nos", "nr", "nbr", "id", "ids", "code"));

  /** Labels written as abbreviations with a period ("no. 4711"): that period ends no sentence. */
  private static final WordSet DOTTED_LABELS =
      new WordSet(List.of("no", "nos", "nr", "nbr", "num"));

  /** Abbreviated cues ("Ref. 4711", "Inv. 4711"). */
  private static final WordSet DOTTED_CUES = new WordSet(List.of("ref", "inv", "txn", "po"));

  /** Labels and cue words read back from a value, at most: "order ID number: 4711". */
  private static final int MAX_WORDS = 4;

  /** How far back a clause walk reads, in characters: cue words are short and near. */
  private static final int WINDOW = 48;

  private IdentifierCue() {}

  /**
   * Whether a word of {@code cues} stands directly before the value at {@code valueStart}, with
   * only labels, spaces, {@code #} and {@code :} between them.
   */
  static boolean namesValue(String text, int valueStart, WordSet cues) {
    int pos = valueStart;
    for (int word = 0; word < MAX_WORDS; word++) {
      while (pos > 0 && isLabelPunctuation(text.charAt(pos - 1))) {
        pos--;
      }
      boolean dotted = pos > 0 && text.charAt(pos - 1) == '.';
      int end = dotted ? pos - 1 : pos;
      int start = end;
      while (start > 0 && Chars.isAsciiLetter(text.charAt(start - 1))) {
        start--;
      }
      if (start == end || Chars.isWordCharAt(text, start - 1)) {
        return false;
      }
      if (cues.contains(text, start, end) && (!dotted || DOTTED_CUES.contains(text, start, end))) {
        return true;
      }
      boolean label =
          dotted ? DOTTED_LABELS.contains(text, start, end) : LABELS.contains(text, start, end);
      if (!label) {
        return false;
      }
      pos = start;
    }
    return false;
  }

  /**
   * Whether, among up to {@code maxWords} words before {@code index} in the same clause, a word of
   * {@code cues} comes (reading backwards) before any word of {@code piiCues}. The walk stops at
   * sentence punctuation, a line break or a digit: a cue there belongs to something else.
   */
  static boolean inClause(String text, int index, int maxWords, WordSet cues, WordSet piiCues) {
    int limit = Math.max(0, index - WINDOW);
    int pos = index;
    for (int word = 0; word < maxWords; word++) {
      while (pos > limit && !Chars.isAsciiLetter(text.charAt(pos - 1))) {
        char c = text.charAt(pos - 1);
        if (endsClause(c) && !(c == '.' && afterDottedLabel(text, pos - 1))) {
          return false;
        }
        pos--;
      }
      int end = pos;
      while (pos > limit && Chars.isAsciiLetter(text.charAt(pos - 1))) {
        pos--;
      }
      if (end == pos || piiCues.contains(text, pos, end)) {
        return false;
      }
      if (cues.contains(text, pos, end)) {
        return true;
      }
    }
    return false;
  }

  /** Sentence punctuation, line breaks and digits: a cue never reaches across them. */
  static boolean endsClause(char c) {
    return switch (c) {
      case '.', '!', '?', ';', '\n', '\r', '\u0085', '\u2028', '\u2029' -> true;
      default -> Chars.isDigit(c);
    };
  }

  private static boolean isLabelPunctuation(char c) {
    return Chars.isLineSpace(c) || c == '#' || c == ':';
  }

  /** Whether the period at {@code dot} closes an abbreviated label or cue ("no.", "Ref."). */
  private static boolean afterDottedLabel(String text, int dot) {
    int start = dot;
    while (start > 0 && Chars.isAsciiLetter(text.charAt(start - 1))) {
      start--;
    }
    return start < dot
        && (DOTTED_LABELS.contains(text, start, dot) || DOTTED_CUES.contains(text, start, dot));
  }
}
