package io.sluice.curator.pii;

/**
 * The card-number checks that go beyond Luhn: the number's leading digits fall in an issuer's range
 * (IIN) with a length that issuer uses, and its groups follow how cards are printed (fours, or
 * Amex's 4-6-5 and Diners' 4-6-4). A number that passes these and Luhn is a card whatever the words
 * around it say, unless an identifier names it directly.
 */
final class CardIssuers {

  private CardIssuers() {}

  /**
   * Whether {@code digits} starts with a known issuer's prefix and has a length that issuer uses.
   */
  static boolean isKnownIssuer(CharSequence digits) {
    int n = digits.length();
    int p1 = prefix(digits, 1);
    int p2 = prefix(digits, 2);
    int p3 = prefix(digits, 3);
    int p4 = prefix(digits, 4);
    int p6 = prefix(digits, 6);
    if (p1 == 4) {
      return n == 13 || n == 16 || n == 19; // Visa
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
      return n == 16; // Mastercard
    }
    if (p2 == 34 || p2 == 37) {
      return n == 15; // American Express
    }
    if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) {
      return n >= 14 && n <= 19; // Diners Club
    }
    if (p4 >= 3528 && p4 <= 3589) {
      return n >= 16 && n <= 19; // JCB
    }
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
      return n >= 16 && n <= 19; // Discover
    }
    if (p2 == 62) {
      return n >= 16 && n <= 19; // UnionPay
    }
    if (p4 >= 2200 && p4 <= 2204) {
      return n >= 16 && n <= 19; // Mir
    }
    if (p2 == 50 || (p2 >= 56 && p2 <= 58) || p2 == 63 || p2 == 67) {
      return n >= 13 && n <= 19; // Maestro
    }
    return p2 == 60 && n == 16; // RuPay
  }

  /**
   * Whether groups of these digit counts are printed card grouping: one group, fours with a shorter
   * or equal last group, or 4-6-5 / 4-6-4.
   */
  static boolean isCardGrouping(int[] groupLengths, int groups) {
    if (groups == 1) {
      return true;
    }
    if (groups == 3
        && groupLengths[0] == 4
        && groupLengths[1] == 6
        && (groupLengths[2] == 5 || groupLengths[2] == 4)) {
      return true;
    }
    for (int g = 0; g < groups - 1; g++) {
      if (groupLengths[g] != 4) {
        return false;
      }
    }
    return groupLengths[groups - 1] >= 1 && groupLengths[groups - 1] <= 4;
  }

  private static int prefix(CharSequence digits, int length) {
    int value = 0;
    for (int i = 0; i < length && i < digits.length(); i++) {
      value = value * 10 + (digits.charAt(i) - '0');
    }
    return value;
  }
}
