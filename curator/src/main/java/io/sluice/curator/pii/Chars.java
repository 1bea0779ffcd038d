package io.sluice.curator.pii;

/** Character classes the detectors share; ASCII fast paths keep the scan cheap. */
final class Chars {

  private Chars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAsciiUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isAsciiAlnum(char c) {
    return isDigit(c) || isAsciiLetter(c);
  }

  static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Letters and digits in any script: a word character for boundary checks. */
  static boolean isWordChar(char c) {
    return c < 128 ? isAsciiAlnum(c) || c == '_' : Character.isLetterOrDigit(c);
  }

  static boolean isWordCharAt(CharSequence text, int index) {
    return index >= 0 && index < text.length() && isWordChar(text.charAt(index));
  }

  static boolean isDigitAt(CharSequence text, int index) {
    return index >= 0 && index < text.length() && isDigit(text.charAt(index));
  }

  static boolean isLineSpace(char c) {
    return c == ' ' || c == '\t' || c == '\u00a0';
  }

  /** Whether {@code text} holds {@code word} at {@code index}, ignoring ASCII case. */
  static boolean startsWithIgnoreCase(String text, int index, String word) {
    return text.regionMatches(true, index, word, 0, word.length());
  }
}
