package io.sluice.curator.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Digit-led values: IPv4 addresses, SSNs, payment cards and phone numbers. It runs only where a
 * digit run starts a token, so prices ("$1,299.00"), ids ("ORD-2024-883112"), tickets ("#48213")
 * and versions ("v2.14.3") never reach it; each candidate is then validated (octet ranges, SSN
 * ranges, Luhn, phone shapes) before it counts.
 */
final class NumberDetector {

  private static final WordSet IP_CUES =
      new WordSet(
          List.of(
              "ip",
              "ips",
              "ipv",
              "address",
              "addr",
              "host",
              "server",
              "from",
              "gateway",
              "dns",
              "proxy",
              "client",
              "router",
              "subnet",
              "netmask",
              "mask",
              "ping",
              "connect",
              "connecting",
              "connected",
              "blocked",
              "block",
              "whitelist",
              "allowlist",
              "firewall",
              "origin",
              "source",
              "src",
              "dst",
              "remote",
              "login",
              "logged",
              "vpn",
              "nat",
              "public",
              "private"));

  private static final WordSet VERSION_CUES =
      new WordSet(
          List.of(
              "version",
              "versions",
              "ver",
              "v",
              "release",
              "released",
              "build",
              "firmware",
              "update",
              "updated",
              "updating",
              "upgrade",
              "upgraded",
              "upgrading",
              "downgrade",
              "downgraded",
              "patch",
              "rev",
              "revision",
              "sdk",
              "api",
              "app",
              "driver",
              "kernel",
              "bios",
              "os",
              "ios",
              "android",
              "chrome",
              "plugin",
              "package",
              "library",
              "lib",
              "jdk",
              "node",
              "python",
              "java",
              "tag",
              "fix",
              "fixes",
              "fixed",
              "bugfix",
              "hotfix",
              "changelog",
              "since",
              "rollback",
              "revert",
              "reverted",
              "deprecated",
              "introduced",
              "section",
              "clause",
              "chapter",
              "paragraph",
              "step",
              "item",
              "rule",
              "figure",
              "table",
              "appendix",
              "article"));

  private static final WordSet SSN_CUES =
      new WordSet(List.of("ssn", "ssns", "social", "security", "ss", "tin", "itin"));

  private static final WordSet PHONE_CUES =
      new WordSet(
          List.of(
              "phone",
              "tel",
              "telephone",
              "call",
              "calling",
              "mobile",
              "cell",
              "cellphone",
              "whatsapp",
              "fax",
              "sms",
              "text",
              "ring",
              "dial",
              "reach",
              "contact",
              "landline",
              "callback",
              "hotline",
              "caller"));

  /** Words before a Luhn-valid number that make it a card: they win over {@link #ID_CUES}. */
  private static final WordSet CARD_CUES =
      new WordSet(
          List.of(
              "card",
              "cards",
              "visa",
              "mastercard",
              "amex",
              "discover",
              "credit",
              "debit",
              "cc",
              "payment",
              "pay",
              "paid",
              "charged",
              "charge",
              "billed",
              "jcb",
              "diners",
              "maestro",
              "unionpay"));

  /**
   * Words naming a number as a business identifier ("order 555-123-4567", "ticket 123-45-6789"):
   * directly before a phone-, SSN- or card-shaped number they keep it ({@link IdentifierCue}).
   */
  private static final WordSet ID_CUES =
      new WordSet(
          List.of(
              "order",
              "orders",
              "ticket",
              "tickets",
              "invoice",
              "inv",
              "ref",
              "reference",
              "tracking",
              "sku",
              "part",
              "serial",
              "sn",
              "case",
              "po",
              "confirmation",
              "booking",
              "reservation",
              "transaction",
              "txn",
              "shipment",
              "parcel",
              "batch",
              "lot",
              "model",
              "item",
              "product",
              "isbn",
              "ean",
              "upc",
              "gtin",
              "barcode",
              "imei",
              "imsi",
              "iccid",
              "meid"));

  /** An id word or a bare "id" right before a Luhn-valid number ("id 4111111111111111"). */
  private static final WordSet CARD_ID_CUES = ID_CUES.with(List.of("id"));

  /** E.164 caps a phone number at 15 digits; shorter than 8 is a local extension or a quantity. */
  private static final int PHONE_MIN_DIGITS = 8;

  private static final int PHONE_MAX_DIGITS = 15;

  private static final int CARD_MIN_DIGITS = 13;

  private static final int CARD_MAX_DIGITS = 19;

  private NumberDetector() {}

  /**
   * Whether a digit at {@code i} may start a numeric value rather than continue a compound token.
   */
  static boolean isNumberStart(String text, int i) {
    if (i == 0) {
      return true;
    }
    char p = text.charAt(i - 1);
    if (Chars.isWordChar(p)) {
      return false;
    }
    if (p == '/') {
      // "http://10.0.0.1/" is an address; "/orders/555-0199" and "03/15" are paths and dates.
      return i >= 2 && text.charAt(i - 2) == '/';
    }
    return switch (p) {
      case '#' -> afterPiiWord(text, i - 1);
      case '-', '.', '\\', '$', '€', '£', '¥', '%', '&', '^', '~', '_' -> false;
      case ',' -> !Chars.isDigitAt(text, i - 2);
      default -> true;
    };
  }

  /** Words that, written before {@code #}, make what follows PII: "SSN#", "Phone #", "Card#". */
  private static final WordSet PII_NUMBER_WORDS = SSN_CUES.with(PHONE_CUES).with(CARD_CUES);

  /**
   * Whether the word before the {@code #} at {@code hash} (joined to it or one space before it)
   * names PII: "#4471" and "Ticket #555-123-4567" are ids, "SSN#536-22-1234" is not.
   */
  private static boolean afterPiiWord(String text, int hash) {
    int end = hash > 0 && text.charAt(hash - 1) == ' ' ? hash - 1 : hash;
    int start = end;
    while (start > 0 && Chars.isAsciiLetter(text.charAt(start - 1))) {
      start--;
    }
    return start < end
        && !Chars.isWordCharAt(text, start - 1)
        && PII_NUMBER_WORDS.contains(text, start, end);
  }

  /**
   * Adds the value starting at digit {@code s}, most specific shape first. A digit cluster (groups
   * joined by one space, dash or dot) is read as a whole: when no value starts at its first group,
   * a later space-separated group not starting with 0 may start one only if that value ends the
   * cluster ("ref 2024 555-123-4567"), so the inner groups of a long number ("9400 1000 0000 0000
   * 3345 79") are never values of their own. Returns where scanning resumes.
   */
  static int detect(String text, int s, List<Span> out) {
    int end = value(text, s, out);
    if (end >= 0) {
      return end;
    }
    int clusterEnd = clusterEnd(text, s);
    int g = digitRunEnd(text, s, Integer.MAX_VALUE);
    for (; g < clusterEnd; g = digitRunEnd(text, g + 1, Integer.MAX_VALUE)) {
      // Trunk- or "00"-prefixed numbers inside a longer cluster are too often account digits.
      if (text.charAt(g) == ' ' && text.charAt(g + 1) != '0') {
        List<Span> inner = new ArrayList<>(1);
        if (value(text, g + 1, inner) == clusterEnd) {
          out.addAll(inner);
          return clusterEnd;
        }
      }
    }
    return clusterEnd;
  }

  /**
   * Digits in the run of digits and separators (space, dashes, dot, parentheses) at {@code s}: an
   * upper bound on the digits of any SSN, card or phone starting there.
   */
  private static int clusterDigits(String text, int s) {
    int digits = 0;
    int limit = Math.min(text.length(), s + 40);
    for (int i = s; i < limit; i++) {
      char c = text.charAt(i);
      if (Chars.isDigit(c)) {
        digits++;
      } else if (" -.()\u00a0\u2013".indexOf(c) < 0) {
        break;
      }
    }
    return digits;
  }

  /** End of the digits at {@code s} and any groups joined to them by one space, dash or dot. */
  private static int clusterEnd(String text, int s) {
    int end = digitRunEnd(text, s, Integer.MAX_VALUE);
    while (end + 1 < text.length()
        && " -.".indexOf(text.charAt(end)) >= 0
        && Chars.isDigit(text.charAt(end + 1))) {
      end = digitRunEnd(text, end + 1, Integer.MAX_VALUE);
    }
    return end;
  }

  private static int value(String text, int s, List<Span> out) {
    int end = ipv4(text, s, out);
    if (end < 0 && clusterDigits(text, s) < PHONE_MIN_DIGITS) {
      // SSNs, cards and phones all have at least 8 digits: prices, times and small ids stop here.
      return -1;
    }
    if (end < 0 && followsIbanHead(text, s)) {
      // The account digits of an IBAN-shaped string that failed mod-97 ("DE89 3704 0044 ...").
      return -1;
    }
    if (end < 0) {
      end = ssn(text, s, out);
    }
    if (end < 0) {
      end = card(text, s, out);
    }
    if (end < 0) {
      end = phone(text, s, out);
    }
    return end;
  }

  /**
   * Whether an IBAN country code and two check digits ("DE89 ") stand right before {@code s}: what
   * follows is the account part of an IBAN that failed its check, not a card or a phone.
   */
  private static boolean followsIbanHead(String text, int s) {
    int head = s - 5;
    return head >= 0
        && (text.charAt(s - 1) == ' ' || text.charAt(s - 1) == '-')
        && Chars.isAsciiLetter(text.charAt(head))
        && Chars.isAsciiLetter(text.charAt(head + 1))
        && Chars.isDigit(text.charAt(head + 2))
        && Chars.isDigit(text.charAt(head + 3))
        && !Chars.isWordCharAt(text, head - 1)
        && IbanDetector.isCountryAt(text, head);
  }

  // ---- IPv4 ----

  private static int ipv4(String text, int s, List<Span> out) {
    int pos = s;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (pos >= text.length() || text.charAt(pos) != '.') {
          return -1;
        }
        pos++;
      }
      int digitsEnd = digitRunEnd(text, pos, 4);
      int length = digitsEnd - pos;
      if (length == 0 || length > 3 || (length > 1 && text.charAt(pos) == '0')) {
        return -1;
      }
      if (Integer.parseInt(text, pos, digitsEnd, 10) > 255) {
        return -1;
      }
      pos = digitsEnd;
    }
    if (pos < text.length()) {
      char next = text.charAt(pos);
      // A fifth component or a suffix ("1.2.3.4.5", "1.2.3.4-beta") makes it a version.
      if (Chars.isWordChar(next)
          || ((next == '.' || next == '-') && Chars.isWordCharAt(text, pos + 1))) {
        return -1;
      }
    }
    if (namedByVersionWord(text, s)) {
      return -1;
    }
    out.add(new Span(s, pos, PiiType.IP, text.substring(s, pos)));
    return pos;
  }

  /** Versions listed after one version word, at most: "fixed in 1.2.4.1, 1.2.4.2 and 1.2.4.3". */
  private static final int MAX_LISTED_VERSIONS = 4;

  /**
   * Whether a version word names the quad at {@code s}: in its own clause with no other number
   * between them, so in "Chrome 120.0.6099.109 on 10.0.0.12" and "version 1.2; server 10.0.0.1" the
   * address is one. A list of dotted versions joined by commas, "and", "or" or "to" after the word
   * is named as a whole.
   */
  private static boolean namedByVersionWord(String text, int s) {
    int at = s;
    for (int item = 0; item < MAX_LISTED_VERSIONS && at >= 0; item++) {
      if (IdentifierCue.inClause(text, at, 3, VERSION_CUES, IP_CUES)) {
        return true;
      }
      at = previousListedVersion(text, at);
    }
    return false;
  }

  /** Start of the dotted version listed just before {@code at} ("1.2.4.1 and "), or -1. */
  private static int previousListedVersion(String text, int at) {
    int pos = at;
    while (pos > 0 && text.charAt(pos - 1) == ' ') {
      pos--;
    }
    int wordStart = pos;
    while (wordStart > 0 && Chars.isAsciiLetter(text.charAt(wordStart - 1))) {
      wordStart--;
    }
    String joiner = text.substring(wordStart, pos);
    if (joiner.equals("and") || joiner.equals("or") || joiner.equals("to")) {
      pos = wordStart;
    } else if (!joiner.isEmpty()) {
      return -1;
    }
    while (pos > 0 && text.charAt(pos - 1) == ' ') {
      pos--;
    }
    if (pos > 0 && text.charAt(pos - 1) == ',') {
      pos--;
    }
    int end = pos;
    int dots = 0;
    while (pos > 0 && (Chars.isDigit(text.charAt(pos - 1)) || text.charAt(pos - 1) == '.')) {
      dots += text.charAt(pos - 1) == '.' ? 1 : 0;
      pos--;
    }
    return pos < end && dots >= 2 && Chars.isDigit(text.charAt(pos)) ? pos : -1;
  }

  // ---- SSN ----

  private static int ssn(String text, int s, List<Span> out) {
    int a = digitRunEnd(text, s, 10);
    if (a - s == 9) {
      if (!Cues.any(text, s, 4, SSN_CUES) || !endsValue(text, a)) {
        return -1;
      }
      return addSsn(text, s, a, s + 3, s + 5, out);
    }
    if (a - s != 3 || a >= text.length()) {
      return -1;
    }
    char sep = text.charAt(a);
    if (sep != '-' && sep != ' ') {
      return -1;
    }
    int b = digitRunEnd(text, a + 1, 3);
    if (b - a - 1 != 2 || b >= text.length() || text.charAt(b) != sep) {
      return -1;
    }
    int c = digitRunEnd(text, b + 1, 5);
    boolean continues =
        c + 1 < text.length() && text.charAt(c) == sep && Chars.isDigitAt(text, c + 1);
    if (c - b - 1 != 4 || !endsValue(text, c) || continues) {
      return -1;
    }
    return addSsn(text, s, c, a + 1, b + 1, out);
  }

  private static int addSsn(
      String text, int s, int end, int groupStart, int serialStart, List<Span> out) {
    int area = Integer.parseInt(text, s, s + 3, 10);
    int group = Integer.parseInt(text, groupStart, groupStart + 2, 10);
    int serial = Integer.parseInt(text, serialStart, serialStart + 4, 10);
    // The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000.
    if (area == 0
        || area == 666
        || area >= 900
        || group == 0
        || serial == 0
        || IdentifierCue.namesValue(text, s, ID_CUES)) {
      return -1;
    }
    String key =
        text.substring(s, s + 3)
            + text.substring(groupStart, groupStart + 2)
            + text.substring(serialStart, serialStart + 4);
    out.add(new Span(s, end, PiiType.SSN, key));
    return end;
  }

  // ---- payment cards ----

  private static int card(String text, int s, List<Span> out) {
    char first = text.charAt(s);
    // Issuer prefixes (Visa 4, Mastercard 2/5, Amex/Diners/JCB 3, Discover/UnionPay/Maestro 6).
    if (first < '2' || first > '6') {
      return -1;
    }
    StringBuilder digits = new StringBuilder(CARD_MAX_DIGITS);
    int[] groupEnds = new int[CARD_MAX_DIGITS];
    int[] digitsAt = new int[CARD_MAX_DIGITS];
    int groups = 0;
    char sep = 0;
    int pos = s;
    while (true) {
      int end = digitRunEnd(text, pos, CARD_MAX_DIGITS + 1);
      int length = end - pos;
      if (digits.length() + length > CARD_MAX_DIGITS || (groups > 0 && length < 2)) {
        break;
      }
      digits.append(text, pos, end);
      groupEnds[groups] = end;
      digitsAt[groups] = digits.length();
      groups++;
      if (end + 1 >= text.length() || !Chars.isDigit(text.charAt(end + 1))) {
        break;
      }
      char c = text.charAt(end);
      if ((c != ' ' && c != '-') || (sep != 0 && c != sep)) {
        break;
      }
      sep = c;
      pos = end + 1;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int count = digitsAt[g];
      int end = groupEnds[g];
      if (count >= CARD_MIN_DIGITS && endsValue(text, end) && luhn(digits, count)) {
        String number = digits.substring(0, count);
        if (namedAsNonCard(text, s, number, groupLengths(digitsAt, g + 1))) {
          return -1;
        }
        out.add(new Span(s, end, PiiType.CARD, number));
        return end;
      }
    }
    return -1;
  }

  private static int[] groupLengths(int[] digitsAt, int groups) {
    int[] lengths = new int[groups];
    for (int g = 0; g < groups; g++) {
      lengths[g] = digitsAt[g] - (g == 0 ? 0 : digitsAt[g - 1]);
    }
    return lengths;
  }

  /**
   * Whether an identifier keeps a Luhn-valid number. One that also has a known issuer's prefix and
   * length and card grouping is kept only when an id word names it directly; a weaker one (an IMEI
   * is 15 digits starting 35 or 49) also when an id word is within three words in its clause and
   * nearer than any card word.
   */
  private static boolean namedAsNonCard(String text, int s, String number, int[] groupLengths) {
    if (IdentifierCue.namesValue(text, s, CARD_ID_CUES)) {
      return true;
    }
    boolean validCard =
        CardIssuers.isKnownIssuer(number)
            && CardIssuers.isCardGrouping(groupLengths, groupLengths.length);
    return !validCard && IdentifierCue.inClause(text, s, 3, ID_CUES, CARD_CUES);
  }

  static boolean luhn(CharSequence digits, int count) {
    int sum = 0;
    boolean doubled = false;
    for (int i = count - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  // ---- phones ----

  private static int phone(String text, int s, List<Span> out) {
    int start = s;
    boolean plus = false;
    if (s > 0 && text.charAt(s - 1) == '(') {
      start = s - 1;
    } else if (s > 0 && text.charAt(s - 1) == '+') {
      start = s - 1;
      plus = true;
    }
    PhoneGroups groups = PhoneGroups.parse(text, plus ? s : start, PHONE_MAX_DIGITS + 2);
    for (int g = groups.count; g >= 1; g--) {
      int end = groups.ends[g - 1];
      if (!endsValue(text, end)) {
        continue;
      }
      String key = phoneKey(text, s, groups, g, plus);
      if (key != null && !plus && IdentifierCue.namesValue(text, start, ID_CUES)) {
        return -1;
      }
      if (key != null) {
        int withExtension = extensionEnd(text, end);
        out.add(new Span(start, withExtension, PiiType.PHONE, key));
        return withExtension;
      }
    }
    return -1;
  }

  /** Longest extension label: "extension". */
  private static final int MAX_EXTENSION_LABEL = 9;

  private static final int MAX_EXTENSION_DIGITS = 6;

  /**
   * Where an extension written after a phone number ends ("ext. 204", "x12", "extension 7"), or
   * {@code end} when none follows: the extension belongs to the number and goes with it.
   */
  private static int extensionEnd(String text, int end) {
    int pos = end;
    if (pos < text.length() && text.charAt(pos) == ',') {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
    int labelEnd = pos;
    while (labelEnd < text.length()
        && labelEnd - pos < MAX_EXTENSION_LABEL
        && Chars.isAsciiLetter(text.charAt(labelEnd))) {
      labelEnd++;
    }
    String label = text.substring(pos, labelEnd).toLowerCase(Locale.ROOT);
    if (!(label.equals("x") || label.equals("ext") || label.equals("extension"))) {
      return end;
    }
    pos = labelEnd;
    if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == ':')) {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
    int digitsEnd = digitRunEnd(text, pos, MAX_EXTENSION_DIGITS + 1);
    int digits = digitsEnd - pos;
    return digits >= 1 && digits <= MAX_EXTENSION_DIGITS && endsValue(text, digitsEnd)
        ? digitsEnd
        : end;
  }

  /** The normalized digits when the first {@code g} groups form a phone number, else null. */
  private static String phoneKey(String text, int s, PhoneGroups groups, int g, boolean plus) {
    int digits = groups.digitsUpTo(g);
    String all = groups.digits(text, g);
    if (plus) {
      return digits >= PHONE_MIN_DIGITS && digits <= PHONE_MAX_DIGITS && groups.lengths[0] <= 15
          ? withoutNorthAmericanPrefix(all)
          : null;
    }
    if (groups.isNorthAmerican(text, g)) {
      return withoutNorthAmericanPrefix(all);
    }
    if (g >= 2
        && digits - 2 >= PHONE_MIN_DIGITS
        && digits - 2 <= PHONE_MAX_DIGITS
        && all.startsWith("00")
        && all.charAt(2) != '0') {
      return withoutNorthAmericanPrefix(all.substring(2));
    }
    // German and Austrian mobiles run to 12 digits with the trunk 0 ("0151 2345 6789"); only a
    // phone word lets a grouped 12-digit number through, since account numbers look alike.
    if (g >= 2
        && digits >= 9
        && (digits <= 11 || (digits == 12 && Cues.any(text, s, 4, PHONE_CUES)))
        && all.charAt(0) == '0'
        && all.charAt(1) != '0'
        && groups.lengths[0] >= 2
        && groups.lengths[0] <= 5
        && isWholeCluster(groups, g)) {
      return all;
    }
    boolean unseparated = g == 1 && !groups.parenthesized[0];
    if (unseparated
        && Cues.any(text, s, 4, PHONE_CUES)
        && ((digits == 10 && all.charAt(0) != '1')
            || (digits == 11 && (all.charAt(0) == '1' || all.charAt(0) == '0')))) {
      return withoutNorthAmericanPrefix(all);
    }
    return null;
  }

  /**
   * Whether the first {@code g} groups are all of the digit run, each of two digits or more: a
   * trunk-0 shape inside a longer code ("1Z 999 AA1 01 2345 678 4") is part of that code.
   */
  private static boolean isWholeCluster(PhoneGroups groups, int g) {
    if (g != groups.count) {
      return false;
    }
    for (int i = 0; i < g; i++) {
      if (groups.lengths[i] < 2) {
        return false;
      }
    }
    return true;
  }

  private static String withoutNorthAmericanPrefix(String digits) {
    return digits.length() == 11 && digits.charAt(0) == '1' ? digits.substring(1) : digits;
  }

  // ---- shared ----

  /** End of the digit run at {@code from}, reading at most {@code max} digits. */
  static int digitRunEnd(String text, int from, int max) {
    int end = from;
    int limit = (int) Math.min(text.length(), (long) from + max);
    while (end < limit && Chars.isDigit(text.charAt(end))) {
      end++;
    }
    return end;
  }

  /** Whether a value may end at {@code end}: no letter, digit or digit-continuation follows. */
  static boolean endsValue(String text, int end) {
    if (end >= text.length()) {
      return true;
    }
    char c = text.charAt(end);
    if (Chars.isWordChar(c)) {
      return false;
    }
    boolean digitFollows =
        (c == '.' || c == '-' || c == ',' || c == '/') && Chars.isDigitAt(text, end + 1);
    return !digitFollows && !(c == '-' && Chars.isWordCharAt(text, end + 1));
  }

  /** Digit groups of a phone-like run: "(555) 123-4567", "44 20 7946 0958". */
  private static final class PhoneGroups {
    private static final int MAX_GROUPS = 8;

    final int[] starts = new int[MAX_GROUPS];
    final int[] ends = new int[MAX_GROUPS];
    final int[] lengths = new int[MAX_GROUPS];
    final boolean[] parenthesized = new boolean[MAX_GROUPS];
    int count;

    static PhoneGroups parse(String text, int from, int maxDigits) {
      PhoneGroups groups = new PhoneGroups();
      int pos = from;
      int total = 0;
      while (groups.count < MAX_GROUPS && pos < text.length()) {
        boolean paren = text.charAt(pos) == '(';
        int digitsStart = paren ? pos + 1 : pos;
        int digitsEnd = digitRunEnd(text, digitsStart, maxDigits);
        int length = digitsEnd - digitsStart;
        if (length == 0 || total + length > maxDigits) {
          break;
        }
        int end = digitsEnd;
        if (paren) {
          if (length > 5 || digitsEnd >= text.length() || text.charAt(digitsEnd) != ')') {
            break;
          }
          end = digitsEnd + 1;
        }
        groups.starts[groups.count] = digitsStart;
        groups.ends[groups.count] = end;
        groups.lengths[groups.count] = length;
        groups.parenthesized[groups.count] = paren;
        groups.count++;
        total += length;
        int next = end;
        if (next < text.length() && isSeparator(text.charAt(next))) {
          next++;
        }
        if (next >= text.length()
            || !(Chars.isDigit(text.charAt(next)) || text.charAt(next) == '(')) {
          break;
        }
        pos = next;
      }
      return groups;
    }

    /** Space, no-break space, hyphen, en dash (word processors turn "-" into "–") and dot. */
    private static boolean isSeparator(char c) {
      return c == ' ' || c == '-' || c == '.' || c == '\u00a0' || c == '\u2013';
    }

    int digitsUpTo(int g) {
      int total = 0;
      for (int i = 0; i < g; i++) {
        total += lengths[i];
      }
      return total;
    }

    String digits(String text, int g) {
      StringBuilder digits = new StringBuilder(PHONE_MAX_DIGITS + 2);
      for (int i = 0; i < g; i++) {
        digits.append(text, starts[i], starts[i] + lengths[i]);
      }
      return digits.toString();
    }

    /** (NPA) NXX-XXXX or NPA-NXX-XXXX, optionally after a trunk "1". */
    boolean isNorthAmerican(String text, int g) {
      int first = 0;
      if (g == 4 && lengths[0] == 1 && !parenthesized[0] && text.charAt(starts[0]) == '1') {
        first = 1;
      } else if (g != 3) {
        return false;
      }
      return lengths[first] == 3
          && lengths[first + 1] == 3
          && !parenthesized[first + 1]
          && lengths[first + 2] == 4
          && !parenthesized[first + 2];
    }
  }
}
