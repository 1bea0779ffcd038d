package io.sluice.curator.pii;

/**
 * Placeholder tokens already present in input text ({@code <EMAIL_1>}), e.g. when curated data is
 * curated again. They are read as opaque tokens so they are never re-detected or re-counted.
 */
final class Placeholders {

  /** A placeholder found in the input: {@code [start, end)} spells {@code <TYPE_number>}. */
  record Literal(int start, int end, PiiType type, int number) {}

  /** Numbers above this are not read as placeholders, which bounds the parse. */
  private static final int MAX_DIGITS = 6;

  private Placeholders() {}

  /** The placeholder starting with the {@code <} at {@code at}, or null. */
  static Literal parse(String text, int at) {
    int underscore = -1;
    int pos = at + 1;
    while (pos < text.length() && pos - at <= 7 && Chars.isAsciiUpper(text.charAt(pos))) {
      pos++;
    }
    if (pos >= text.length() || text.charAt(pos) != '_' || pos == at + 1) {
      return null;
    }
    underscore = pos;
    pos++;
    int digitsStart = pos;
    while (pos < text.length()
        && pos - digitsStart < MAX_DIGITS
        && Chars.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == digitsStart
        || pos >= text.length()
        || text.charAt(pos) != '>'
        || text.charAt(digitsStart) == '0') {
      return null;
    }
    PiiType type = typeNamed(text.substring(at + 1, underscore));
    if (type == null) {
      return null;
    }
    return new Literal(at, pos + 1, type, Integer.parseInt(text, digitsStart, pos, 10));
  }

  /** Whether {@code value} is exactly one placeholder. */
  static boolean isPlaceholder(String value) {
    if (value.isEmpty() || value.charAt(0) != '<') {
      return false;
    }
    Literal literal = parse(value, 0);
    return literal != null && literal.end() == value.length();
  }

  private static PiiType typeNamed(String name) {
    for (PiiType type : PiiType.values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    return null;
  }
}
