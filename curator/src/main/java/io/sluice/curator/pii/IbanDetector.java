package io.sluice.curator.pii;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IBANs, printed grouped ("DE89 3704 0044 0532 0130 00") or not. The country code fixes the length,
 * so grouping never makes the detector swallow a following word, and the ISO 7064 mod-97 check
 * rejects all but about 1% of random lookalikes.
 */
final class IbanDetector {

  /** IBAN length by country (SWIFT IBAN registry); unknown countries are not detected. */
  private static final Map<String, Integer> LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24),
          Map.entry("AE", 23),
          Map.entry("AL", 28),
          Map.entry("AT", 20),
          Map.entry("AZ", 28),
          Map.entry("BA", 20),
          Map.entry("BE", 16),
          Map.entry("BG", 22),
          Map.entry("BH", 22),
          Map.entry("BI", 27),
          Map.entry("BR", 29),
          Map.entry("BY", 28),
          Map.entry("CH", 21),
          Map.entry("CR", 22),
          Map.entry("CY", 28),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DJ", 27),
          Map.entry("DK", 18),
          Map.entry("DO", 28),
          Map.entry("EE", 20),
          Map.entry("EG", 29),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FK", 18),
          Map.entry("FO", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GE", 22),
          Map.entry("GI", 23),
          Map.entry("GL", 18),
          Map.entry("GR", 27),
          Map.entry("GT", 28),
          Map.entry("HR", 21),
          Map.entry("HU", 28),
          Map.entry("IE", 22),
          Map.entry("IL", 23),
          Map.entry("IQ", 23),
          Map.entry("IS", 26),
          Map.entry("IT", 27),
          Map.entry("JO", 30),
          Map.entry("KW", 30),
          Map.entry("KZ", 20),
          Map.entry("LB", 28),
          Map.entry("LC", 32),
          Map.entry("LI", 21),
          Map.entry("LT", 20),
          Map.entry("LU", 20),
          Map.entry("LV", 21),
          Map.entry("LY", 25),
          Map.entry("MC", 27),
          Map.entry("MD", 24),
          Map.entry("ME", 22),
          Map.entry("MK", 19),
          Map.entry("MN", 20),
          Map.entry("MR", 27),
          Map.entry("MT", 31),
          Map.entry("MU", 30),
          Map.entry("NI", 28),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("OM", 23),
          Map.entry("PK", 24),
          Map.entry("PL", 28),
          Map.entry("PS", 29),
          Map.entry("PT", 25),
          Map.entry("QA", 29),
          Map.entry("RO", 24),
          Map.entry("RS", 22),
          Map.entry("RU", 33),
          Map.entry("SA", 24),
          Map.entry("SC", 31),
          Map.entry("SD", 18),
          Map.entry("SE", 24),
          Map.entry("SI", 19),
          Map.entry("SK", 24),
          Map.entry("SM", 27),
          Map.entry("SO", 23),
          Map.entry("ST", 25),
          Map.entry("SV", 28),
          Map.entry("TL", 23),
          Map.entry("TN", 24),
          Map.entry("TR", 26),
          Map.entry("UA", 29),
          Map.entry("VA", 22),
          Map.entry("VG", 24),
          Map.entry("XK", 20),
          Map.entry("YE", 30));

  private static final int MAX_LENGTH = 34;

  private IbanDetector() {}

  /** Whether {@code text} may hold an IBAN at {@code i}: two letters and two check digits. */
  static boolean mayStartAt(String text, int i) {
    return i + 3 < text.length()
        && Chars.isAsciiLetter(text.charAt(i + 1))
        && Chars.isDigit(text.charAt(i + 2))
        && Chars.isDigit(text.charAt(i + 3));
  }

  /** Whether the two letters at {@code i} are the country code of an IBAN country. */
  static boolean isCountryAt(String text, int i) {
    return LENGTHS.containsKey(text.substring(i, i + 2).toUpperCase(Locale.ROOT));
  }

  /** Adds the IBAN starting at {@code s}; returns its end, or -1. */
  static int detect(String text, int s, List<Span> out) {
    Integer length = LENGTHS.get(text.substring(s, s + 2).toUpperCase(Locale.ROOT));
    if (length == null) {
      return -1;
    }
    StringBuilder compact = new StringBuilder(MAX_LENGTH);
    int pos = s;
    while (compact.length() < length && pos < text.length()) {
      char c = text.charAt(pos);
      if (Chars.isAsciiAlnum(c)) {
        compact.append(Character.toUpperCase(c));
        pos++;
      } else if ((c == ' ' || c == '-')
          && compact.length() >= 4
          && Chars.isWordCharAt(text, pos + 1)) {
        pos++;
      } else {
        return -1;
      }
    }
    if (compact.length() < length || Chars.isWordCharAt(text, pos) || !mod97(compact)) {
      return -1;
    }
    out.add(new Span(s, pos, PiiType.IBAN, compact.toString()));
    return pos;
  }

  /**
   * ISO 13616: move the first four characters to the end, letters as 10..35; the number mod 97 is
   * 1.
   */
  static boolean mod97(CharSequence iban) {
    int remainder = 0;
    int n = iban.length();
    for (int k = 0; k < n; k++) {
      char c = iban.charAt((k + 4) % n);
      if (Chars.isDigit(c)) {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else if (Chars.isAsciiUpper(c)) {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return remainder == 1;
  }
}
