package io.sluice.curator.pii;

import java.util.List;
import java.util.Locale;

/**
 * Emails and credentials in URLs, both found from an {@code @}. Expanding outwards from the one
 * character every address must contain keeps the scan linear, with no regex backtracking.
 */
final class EmailDetector {

  /** RFC 5321 caps the local part at 64 and a domain at 255 characters. */
  private static final int MAX_LOCAL = 64;

  private static final int MAX_DOMAIN = 255;

  /** How far back a URL scheme ("https://") may start before the {@code @} of its userinfo. */
  private static final int MAX_USERINFO = 256;

  private EmailDetector() {}

  /**
   * Adds the email or URL credential whose {@code @} is at {@code at}; returns the scan resume
   * index.
   */
  static int detect(String text, int at, List<Span> out) {
    int userinfoStart = urlUserinfoStart(text, at);
    if (userinfoStart >= 0) {
      // "https://user:pass@host": the credentials are the secret; a bare "ssh://git@host" holds
      // none.
      if (text.lastIndexOf(':', at) >= userinfoStart && userinfoStart < at) {
        out.add(new Span(userinfoStart, at, PiiType.SECRET, text.substring(userinfoStart, at)));
      }
      return at + 1;
    }
    int start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocalChar(text.charAt(start - 1))) {
      start--;
    }
    // A local part starts with a letter, digit or underscore: "'jane@x.com'" quotes the address.
    while (start < at
        && !(Character.isLetterOrDigit(text.charAt(start)) || text.charAt(start) == '_')) {
      start++;
    }
    int end = domainEnd(text, at + 1);
    if (start == at || end < 0 || text.charAt(at - 1) == '.' || isScpRemote(text, end)) {
      return at + 1;
    }
    out.add(
        new Span(start, end, PiiType.EMAIL, text.substring(start, end).toLowerCase(Locale.ROOT)));
    return end;
  }

  /**
   * The start of the userinfo when the {@code @} at {@code at} belongs to a URL authority ({@code
   * scheme://userinfo@host}), else -1.
   */
  private static int urlUserinfoStart(String text, int at) {
    int limit = Math.max(0, at - MAX_USERINFO);
    for (int i = at - 1; i >= limit; i--) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '"' || c == '<') {
        return -1;
      }
      if (c == '/') {
        boolean afterScheme = i >= 2 && text.charAt(i - 1) == '/' && text.charAt(i - 2) == ':';
        return afterScheme ? i + 1 : -1;
      }
    }
    return -1;
  }

  /** End of a dotted domain with an alphabetic top-level label starting at {@code from}, or -1. */
  private static int domainEnd(String text, int from) {
    int end = from;
    int limit = Math.min(text.length(), from + MAX_DOMAIN);
    while (end < limit && isDomainChar(text.charAt(end))) {
      end++;
    }
    // A sentence may end right after the address: "write to a@b.com."
    while (end > from && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
      end--;
    }
    int lastDot = text.lastIndexOf('.', end - 1);
    if (lastDot <= from || text.charAt(from) == '.' || text.charAt(from) == '-') {
      return -1;
    }
    int tldLength = end - lastDot - 1;
    if (tldLength < 2 || tldLength > 24) {
      return -1;
    }
    for (int i = lastDot + 1; i < end; i++) {
      if (!Character.isLetter(text.charAt(i))) {
        return -1;
      }
    }
    for (int i = from + 1; i < end; i++) {
      if (text.charAt(i) == '.' && text.charAt(i - 1) == '.') {
        return -1;
      }
    }
    return end;
  }

  /** "git@github.com:acme/app.git" is an SSH remote, not a mailbox. */
  private static boolean isScpRemote(String text, int end) {
    return end + 1 < text.length()
        && text.charAt(end) == ':'
        && (Chars.isWordChar(text.charAt(end + 1))
            || text.charAt(end + 1) == '/'
            || text.charAt(end + 1) == '~');
  }

  /**
   * RFC 6531 allows any letter in a local part ("jörg@beispiel.de"); stopping at one would leak
   * half.
   */
  private static boolean isLocalChar(char c) {
    return c < 128
        ? Chars.isAsciiAlnum(c)
            || c == '.'
            || c == '_'
            || c == '%'
            || c == '+'
            || c == '-'
            || c == '\''
        : Character.isLetterOrDigit(c);
  }

  /** Internationalized domain names hold letters of any script ("müller.de"). */
  private static boolean isDomainChar(char c) {
    return c < 128 ? Chars.isAsciiAlnum(c) || c == '.' || c == '-' : Character.isLetterOrDigit(c);
  }
}
