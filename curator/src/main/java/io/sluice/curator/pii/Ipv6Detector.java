package io.sluice.curator.pii;

import java.util.List;
import java.util.Locale;

/**
 * IPv6 addresses in full, compressed ("2001:db8::8a2e:370:7334", "::1") and IPv4-embedded forms.
 * Times ("14:30:00") and MAC addresses fail the group count; C++ scopes ("std::vector") are not
 * hex.
 */
final class Ipv6Detector {

  /** Longest textual form: eight groups of four plus seven colons, or the IPv4-embedded form. */
  private static final int MAX_LENGTH = 45;

  private Ipv6Detector() {}

  /** Whether an address may start at {@code i}: a hex digit or colon not inside a larger token. */
  static boolean mayStartAt(String text, int i) {
    char c = text.charAt(i);
    if (!(Chars.isHex(c) || c == ':')) {
      return false;
    }
    if (i == 0) {
      return true;
    }
    char p = text.charAt(i - 1);
    return !(Chars.isWordChar(p) || p == ':' || p == '.' || p == '-');
  }

  /** Adds the address starting at {@code s}; returns its end, or -1. */
  static int detect(String text, int s, List<Span> out) {
    int limit = Math.min(text.length(), s + MAX_LENGTH + 1);
    int end = s;
    int colons = 0;
    boolean digit = false;
    while (end < limit) {
      char c = text.charAt(end);
      if (c == ':') {
        colons++;
      } else if (Chars.isDigit(c)) {
        digit = true;
      } else if (!(Chars.isHex(c) || c == '.')) {
        break;
      }
      end++;
    }
    // Sentence punctuation after an address: "reach fe80::1. Then".
    while (end > s && text.charAt(end - 1) == '.') {
      end--;
    }
    if (end > s + 1 && text.charAt(end - 1) == ':' && text.charAt(end - 2) != ':') {
      end--;
      colons--;
    }
    if (colons < 2 || !digit || end - s > MAX_LENGTH || Chars.isWordCharAt(text, end)) {
      return -1;
    }
    String candidate = text.substring(s, end);
    if (!isValid(candidate)) {
      return -1;
    }
    out.add(new Span(s, end, PiiType.IP, candidate.toLowerCase(Locale.ROOT)));
    return end;
  }

  static boolean isValid(String address) {
    int compression = address.indexOf("::");
    if (compression >= 0 && address.indexOf("::", compression + 1) >= 0) {
      return false;
    }
    String head = compression >= 0 ? address.substring(0, compression) : address;
    String tail = compression >= 0 ? address.substring(compression + 2) : "";
    int headGroups = countGroups(head, compression < 0);
    int tailGroups = compression >= 0 ? countGroups(tail, true) : 0;
    if (headGroups < 0 || tailGroups < 0) {
      return false;
    }
    int groups = headGroups + tailGroups;
    return compression >= 0 ? groups <= 7 : groups == 8;
  }

  /**
   * Hex groups in a colon-separated run, an embedded dotted IPv4 (allowed last) counting as two; -1
   * when a group is malformed.
   */
  private static int countGroups(String part, boolean ipv4AllowedLast) {
    if (part.isEmpty()) {
      return 0;
    }
    String[] groups = part.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      if (group.indexOf('.') >= 0) {
        if (i != groups.length - 1 || !ipv4AllowedLast || !isDottedQuad(group)) {
          return -1;
        }
        count += 2;
      } else if (group.isEmpty() || group.length() > 4) {
        return -1;
      } else {
        count++;
      }
    }
    return count;
  }

  private static boolean isDottedQuad(String group) {
    String[] octets = group.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < octet.length(); i++) {
        if (!Chars.isDigit(octet.charAt(i))) {
          return false;
        }
      }
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }
}
