package io.sluice.curator.pii;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Secrets: vendor tokens recognized by their documented prefixes (AWS, GitHub, GitLab, Slack, JWT,
 * OpenAI/Anthropic/Stripe-style {@code sk-} keys, Google, Hugging Face, npm), bearer tokens, PEM
 * private keys, and the value after a credential key ({@code password=}, {@code "api_key": "..."},
 * {@code token: ...}).
 */
final class SecretDetector {

  /** AWS access key id prefixes: AKIA long-term, ASIA temporary, the others IAM unique ids. */
  private static final String[] AWS_PREFIXES = {
    "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"
  };

  /**
   * Keys whose value is a credential when the key ends with them ("db_password", "client_secret").
   */
  private static final String[] KEY_SUFFIXES = {
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "api_key",
    "access_key",
    "secret_key",
    "private_key",
    "credential",
    "credentials",
    "accountkey",
    "account_key",
    "sharedaccesskey",
    "shared_access_key",
    "signing_key",
    "encryption_key",
    "master_key",
    "license_key"
  };

  /**
   * Short keys that are credentials only as a whole word ("pwd", "db_pass"), never as a suffix
   * ("bypass").
   */
  private static final Set<String> SHORT_KEYS = Set.copyOf(List.of("pwd", "pass", "pw", "pin"));

  /** Words that follow "password:" in prose and are not the password ("Password: reset it"). */
  private static final Set<String> PROSE_VALUES =
      Set.copyOf(
          List.of(
              "reset",
              "resets",
              "expired",
              "expires",
              "incorrect",
              "invalid",
              "wrong",
              "required",
              "missing",
              "changed",
              "updated",
              "forgotten",
              "forgot",
              "rejected",
              "locked",
              "the",
              "a",
              "an",
              "is",
              "was",
              "not",
              "does",
              "doesn",
              "didn",
              "can",
              "cannot",
              "won",
              "will",
              "my",
              "your",
              "our",
              "it",
              "this",
              "that",
              "same",
              "new",
              "old",
              "none",
              "null",
              "nil",
              "undefined",
              "empty",
              "true",
              "false",
              "yes",
              "no",
              "n",
              "na",
              "hidden",
              "redacted",
              "masked",
              "removed",
              "see",
              "please",
              "still",
              "again",
              "never",
              "always",
              "also",
              "and",
              "or",
              "but",
              "when",
              "if",
              "how",
              "what",
              "why",
              "where",
              "which",
              "who",
              "expiry",
              "length",
              "policy",
              "strength",
              "weak",
              "strong",
              "too",
              "short",
              "long",
              "fails",
              "failed",
              "error",
              "ok",
              "okay",
              "set",
              "unset",
              "blank",
              "mismatch",
              "accepted",
              "works",
              "working",
              "broken",
              "then",
              "enter",
              "below",
              "above",
              "here",
              "there",
              "following",
              "from",
              "with",
              "for",
              "to",
              "in",
              "on",
              "at",
              "of",
              "by",
              "must",
              "should",
              "needs",
              "need",
              "has",
              "have",
              "had",
              "be",
              "been",
              "field",
              "prompt",
              "screen",
              "box"));

  private static final int MAX_KEY = 64;

  private static final int MAX_VALUE = 512;

  private final int minValueLength;

  SecretDetector(int minValueLength) {
    this.minValueLength = minValueLength;
  }

  /**
   * Adds a prefix-recognized token starting at the word {@code [s, wordEnd)}, or the unquoted value
   * after it when it is a linking verb ("password is Blue!Sky2024"); returns its end, or -1. Tokens
   * are long words, or short ones a dash continues ("sk-", "xoxb-", "glpat-") or a space ("Bearer
   * "), so other words are turned away by their length alone.
   */
  int detectToken(String text, int s, int wordEnd, List<Span> out) {
    int length = wordEnd - s;
    if (length <= 3) {
      int end = afterLinkingVerb(text, s, wordEnd, out);
      if (end >= 0 || length != 2) {
        return end;
      }
    } else if (length < 10 && length != 4 && length != 5 && length != 6) {
      return -1;
    }
    int end =
        switch (text.charAt(s)) {
          case 'A' -> awsKey(text, s);
          case 'g' -> gitToken(text, s);
          case 'x' -> slackToken(text, s);
          case 'e' -> jwt(text, s);
          case 's', 'r' -> stripeOrSk(text, s);
          case 'h' -> prefixed(text, s, "hf_", 0, 30, false);
          case 'n' -> prefixed(text, s, "npm_", 0, 30, false);
          case 'B', 'b' -> Math.max(bearer(text, s), basic(text, s));
          default -> -1;
        };
    if (end < 0) {
      return -1;
    }
    int start = text.charAt(s) == 'B' || text.charAt(s) == 'b' ? text.indexOf(' ', s) + 1 : s;
    out.add(new Span(start, end, PiiType.SECRET, text.substring(start, end)));
    return end;
  }

  private static int awsKey(String text, int s) {
    for (String prefix : AWS_PREFIXES) {
      if (text.startsWith(prefix, s)) {
        int end = s + 4;
        while (end < text.length()
            && end - s < 20
            && (Chars.isAsciiUpper(text.charAt(end)) || Chars.isDigit(text.charAt(end)))) {
          end++;
        }
        return end - s == 20 && !Chars.isWordCharAt(text, end) ? end : -1;
      }
    }
    if (text.startsWith("AIza", s)) {
      return tokenEnd(text, s + 4, 35, true);
    }
    return -1;
  }

  /**
   * Slack bot, user, app and refresh tokens: "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-".
   */
  private static int slackToken(String text, int s) {
    if (text.startsWith("xox", s)
        && s + 4 < text.length()
        && "abposr".indexOf(text.charAt(s + 3)) >= 0
        && text.charAt(s + 4) == '-') {
      return tokenEnd(text, s + 5, 10, true);
    }
    return prefixed(text, s, "xapp-", 0, 10, true);
  }

  private static int gitToken(String text, int s) {
    if (text.startsWith("github_pat_", s)) {
      return tokenEnd(text, s + 11, 30, false);
    }
    if (text.startsWith("glpat-", s)) {
      return tokenEnd(text, s + 6, 20, true);
    }
    if (text.startsWith("gh", s)
        && s + 3 < text.length()
        && "pousr".indexOf(text.charAt(s + 2)) >= 0
        && text.charAt(s + 3) == '_') {
      return tokenEnd(text, s + 4, 30, false);
    }
    return -1;
  }

  private static final String[] STRIPE_PREFIXES = {"sk_live_", "sk_test_", "rk_live_", "rk_test_"};

  private static int stripeOrSk(String text, int s) {
    for (String prefix : STRIPE_PREFIXES) {
      if (text.startsWith(prefix, s)) {
        return tokenEnd(text, s + prefix.length(), 16, false);
      }
    }
    // "sk-", "sk-proj-", "sk-ant-api03-": the body allows dashes, so one rule covers all of them.
    return text.startsWith("sk-", s) ? tokenEnd(text, s + 3, 20, true) : -1;
  }

  /** A JWT: three base64url segments, the first a JSON header ("eyJ" is base64 for '{"'). */
  private static int jwt(String text, int s) {
    if (!text.startsWith("eyJ", s)) {
      return -1;
    }
    int header = base64UrlEnd(text, s);
    if (header - s < 10 || header >= text.length() || text.charAt(header) != '.') {
      return -1;
    }
    int payload = base64UrlEnd(text, header + 1);
    if (payload - header - 1 < 10 || payload >= text.length() || text.charAt(payload) != '.') {
      return -1;
    }
    int signature = base64UrlEnd(text, payload + 1);
    return Chars.isWordCharAt(text, signature) ? -1 : signature;
  }

  /** "Bearer <token>" in Authorization headers; only the token is secret. */
  private static int bearer(String text, int s) {
    if (!Chars.startsWithIgnoreCase(text, s, "bearer ")) {
      return -1;
    }
    int start = s + 7;
    int end = start;
    boolean digit = false;
    while (end < text.length() && end - start < MAX_VALUE && isBearerChar(text.charAt(end))) {
      digit |= Chars.isDigit(text.charAt(end));
      end++;
    }
    while (end > start && text.charAt(end - 1) == '.') {
      end--;
    }
    return end - start >= 16 && digit ? end : -1;
  }

  /**
   * "Authorization: Basic <base64 of user:password>"; only the credentials are secret. "Basic" is
   * an ordinary word elsewhere ("Basic plan"), so the header name must come right before it.
   */
  private static int basic(String text, int s) {
    int header = s - 1;
    while (header >= 0 && (Chars.isLineSpace(text.charAt(header)) || text.charAt(header) == '"')) {
      header--;
    }
    boolean afterHeader =
        header >= 13
            && text.charAt(header) == ':'
            && Chars.startsWithIgnoreCase(text, header - 13, "authorization");
    if (!afterHeader || !Chars.startsWithIgnoreCase(text, s, "basic ")) {
      return -1;
    }
    int start = s + 6;
    int end = start;
    while (end < text.length()
        && end - start < MAX_VALUE
        && (Chars.isAsciiAlnum(text.charAt(end)) || "+/=".indexOf(text.charAt(end)) >= 0)) {
      end++;
    }
    return end - start >= 8 && (end - start) % 4 == 0 && !Chars.isWordCharAt(text, end) ? end : -1;
  }

  /** RFC 6750 b64token characters. */
  private static boolean isBearerChar(char c) {
    return Chars.isAsciiAlnum(c) || "-._~+/=".indexOf(c) >= 0;
  }

  private static int prefixed(
      String text, int s, String prefix, int variableChars, int minBody, boolean dashes) {
    if (!text.startsWith(prefix, s)) {
      return -1;
    }
    return tokenEnd(text, s + prefix.length() + variableChars, minBody, dashes);
  }

  /** End of a token body of at least {@code minBody} characters at {@code from}, or -1. */
  private static int tokenEnd(String text, int from, int minBody, boolean dashes) {
    int end = from;
    while (end < text.length() && end - from < MAX_VALUE && isTokenChar(text.charAt(end), dashes)) {
      end++;
    }
    return end - from >= minBody && !Chars.isWordCharAt(text, end) ? end : -1;
  }

  private static boolean isTokenChar(char c, boolean dashes) {
    return Chars.isAsciiAlnum(c) || c == '_' || (dashes && c == '-');
  }

  private static int base64UrlEnd(String text, int from) {
    int end = from;
    while (end < text.length() && isTokenChar(text.charAt(end), true)) {
      end++;
    }
    return end;
  }

  /** Adds the PEM private key block starting at {@code s} ("-----BEGIN ... PRIVATE KEY-----"). */
  int detectPrivateKey(String text, int s, List<Span> out) {
    if (!text.startsWith("-----BEGIN ", s)) {
      return -1;
    }
    int headerEnd = text.indexOf("-----", s + 11);
    if (headerEnd < 0 || !text.substring(s + 11, headerEnd).endsWith("PRIVATE KEY")) {
      return -1;
    }
    int footer = text.indexOf("-----END ", headerEnd + 5);
    int footerEnd = footer < 0 ? -1 : text.indexOf("-----", footer + 9);
    int end = footerEnd < 0 ? text.length() : footerEnd + 5;
    out.add(new Span(s, end, PiiType.SECRET, text.substring(s, end)));
    return end;
  }

  /**
   * Adds the value after a credential key whose separator ({@code =} or {@code :}) is at {@code
   * at}: {@code password=hunter2}, {@code "api_key": "abc"}, {@code token: xyz}. Returns the resume
   * index.
   */
  int detectKeyValue(String text, int at, List<Span> out) {
    int keyEnd = at;
    while (keyEnd > 0 && at - keyEnd < 3 && Chars.isLineSpace(text.charAt(keyEnd - 1))) {
      keyEnd--;
    }
    if (keyEnd > 0 && (text.charAt(keyEnd - 1) == '"' || text.charAt(keyEnd - 1) == '\'')) {
      keyEnd--;
    }
    int keyStart = keyEnd;
    while (keyStart > 0 && keyEnd - keyStart < MAX_KEY && isKeyChar(text.charAt(keyStart - 1))) {
      keyStart--;
    }
    if (keyEnd - keyStart < 2
        || !mayEndCredentialKey(text.charAt(keyEnd - 1))
        || !isCredentialKey(text.substring(keyStart, keyEnd))) {
      return -1;
    }
    return value(text, at + 1, text.charAt(at) == ':', out);
  }

  /**
   * Adds a quoted value after a credential key and a verb, whose opening quote is at {@code at}:
   * {@code set api-key to 'a8f5f1...'}, {@code the password is "hunter2"}. Returns the resume
   * index.
   */
  int detectQuotedAfterVerb(String text, int at, List<Span> out) {
    if (!followsKeyAndVerb(text, at, true)) {
      return -1;
    }
    char quote = text.charAt(at);
    int end = at + 1;
    while (end < text.length()
        && end - at <= MAX_VALUE
        && text.charAt(end) != quote
        && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    if (end >= text.length() || text.charAt(end) != quote) {
      return -1;
    }
    String value = text.substring(at + 1, end);
    if (!isSecretValue(value, true)) {
      return -1;
    }
    out.add(new Span(at + 1, end, PiiType.SECRET, value));
    return end;
  }

  /**
   * Whether a credential key and a verb stand right before {@code at}: "password is ", "set api-key
   * to ", and, before a quoted value only, "use token as ".
   */
  private static boolean followsKeyAndVerb(String text, int at, boolean quoted) {
    int pos = at;
    if (pos < 2 || !Chars.isLineSpace(text.charAt(pos - 1))) {
      return false;
    }
    pos--;
    int verbEnd = pos;
    while (pos > 0 && verbEnd - pos <= 3 && Chars.isAsciiLetter(text.charAt(pos - 1))) {
      pos--;
    }
    // Runs before every word that follows a space: no allocation until a verb is found.
    if (!(isWord(text, pos, verbEnd, "to")
            || isWord(text, pos, verbEnd, "is")
            || isWord(text, pos, verbEnd, "was")
            || (quoted && isWord(text, pos, verbEnd, "as")))
        || pos < 2
        || !Chars.isLineSpace(text.charAt(pos - 1))) {
      return false;
    }
    int keyEnd = pos - 1;
    int keyStart = keyEnd;
    while (keyStart > 0 && keyEnd - keyStart < MAX_KEY && isKeyChar(text.charAt(keyStart - 1))) {
      keyStart--;
    }
    return keyStart < keyEnd
        && mayEndCredentialKey(text.charAt(keyEnd - 1))
        && isCredentialKey(text.substring(keyStart, keyEnd));
  }

  /**
   * Whether {@code [start, end)} is "is", "was" or "to" in any case: the only words after which
   * {@link #detectUnquotedAfterVerb} can find a value. Char tests, as it runs at every short word.
   */
  private static boolean isLinkingVerb(String text, int start, int end) {
    int length = end - start;
    if (length < 2 || length > 3) {
      return false;
    }
    char first = (char) (text.charAt(start) | 0x20);
    char second = (char) (text.charAt(start + 1) | 0x20);
    if (length == 2) {
      return (first == 'i' && second == 's') || (first == 't' && second == 'o');
    }
    return first == 'w' && second == 'a' && (text.charAt(start + 2) | 0x20) == 's';
  }

  /** The unquoted value after the word {@code [s, wordEnd)} if it is a linking verb, or -1. */
  private int afterLinkingVerb(String text, int s, int wordEnd, List<Span> out) {
    return isLinkingVerb(text, s, wordEnd) ? detectUnquotedAfterVerb(text, wordEnd, out) : -1;
  }

  private static boolean isWord(String text, int start, int end, String word) {
    return end - start == word.length() && text.regionMatches(true, start, word, 0, word.length());
  }

  /** Shortest unquoted value after "password is" that is read as one. */
  private static final int MIN_UNQUOTED_VALUE = 6;

  /**
   * Adds an unquoted value after a credential key and a verb ending at {@code verbEnd}: "the wifi
   * password is Blue!Sky2024". Prose follows such verbs too ("my password is wrong"), so the value
   * must hold a digit or a symbol and be at least six characters long. It runs only after a word
   * that {@link #isLinkingVerb} accepts. Quoted values are {@link #detectQuotedAfterVerb}'s.
   * Returns the value's end, or -1.
   */
  private int detectUnquotedAfterVerb(String text, int verbEnd, List<Span> out) {
    int s = verbEnd + 1;
    if (s >= text.length()
        || text.charAt(verbEnd) != ' '
        || Character.isWhitespace(text.charAt(s))
        || text.charAt(s) == '"'
        || text.charAt(s) == '\''
        || !followsKeyAndVerb(text, s, false)) {
      return -1;
    }
    int end = s;
    while (end < text.length()
        && end - s < MAX_VALUE
        && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    while (end > s && ".,;:!?)\"'".indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    String value = text.substring(s, end);
    if (value.length() < Math.max(MIN_UNQUOTED_VALUE, minValueLength)
        || !hasDigitOrSymbol(value)
        || !isSecretValue(value, true)) {
      return -1;
    }
    out.add(new Span(s, end, PiiType.SECRET, value));
    return end;
  }

  private static boolean hasDigitOrSymbol(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Chars.isDigit(c) || "!@#$%^&*_+=~?".indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  private int value(String text, int from, boolean colon, List<Span> out) {
    int start = from;
    // "a := b" in code and "::" are not key/value separators.
    if (start < text.length() && (text.charAt(start) == '=' || text.charAt(start) == ':')) {
      return -1;
    }
    while (start < text.length() && start - from < 3 && Chars.isLineSpace(text.charAt(start))) {
      start++;
    }
    if (start >= text.length()) {
      return -1;
    }
    char quote = text.charAt(start);
    int end;
    if (quote == '"' || quote == '\'' || quote == '`') {
      start++;
      end = start;
      while (end < text.length()
          && end - start < MAX_VALUE
          && text.charAt(end) != quote
          && text.charAt(end) != '\n') {
        end++;
      }
      if (end >= text.length() || text.charAt(end) != quote) {
        return -1;
      }
    } else {
      end = start;
      while (end < text.length() && end - start < MAX_VALUE && !endsUnquotedValue(text, end)) {
        end++;
      }
      // A full stop ends the sentence, not the password; "!" and "?" are kept, being common in
      // passwords.
      while (end > start && text.charAt(end - 1) == '.') {
        end--;
      }
    }
    String value = text.substring(start, end);
    boolean prose = colon && quote != '"' && quote != '\'' && quote != '`';
    if (!isSecretValue(value, prose)) {
      return -1;
    }
    out.add(new Span(start, end, PiiType.SECRET, value));
    return end;
  }

  private boolean isSecretValue(String value, boolean prose) {
    if (value.length() < minValueLength
        || isMasked(value)
        || value.startsWith("${")
        || value.startsWith("{{")
        || value.startsWith("$")
        || value.startsWith("%(")
        || Placeholders.isPlaceholder(value)) {
      return false;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (isTemplate(lower)) {
      return false;
    }
    return !(PROSE_VALUES.contains(lower)
        && (prose
            || lower.equals("null")
            || lower.equals("none")
            || lower.equals("undefined")
            || lower.equals("true")
            || lower.equals("false")
            || lower.equals("redacted")));
  }

  /** Documentation stand-ins: "YOUR_API_KEY_HERE", "your-token", "<api key>". */
  private static boolean isTemplate(String lower) {
    return lower.startsWith("your")
        || lower.endsWith("_here")
        || lower.endsWith("-here")
        || lower.startsWith("<")
        || lower.equals("placeholder")
        || lower.equals("example")
        || lower.startsWith("replace_me")
        || lower.startsWith("replace-me");
  }

  /** Values already hidden by the writer ("****", "xxxxxx", "•••"). */
  private static boolean isMasked(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '*' && c != 'x' && c != 'X' && c != '•' && c != '#' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean endsUnquotedValue(String text, int at) {
    char c = text.charAt(at);
    if (c == '&') {
      return startsQueryParameter(text, at + 1);
    }
    return Character.isWhitespace(c)
        || c == ','
        || c == ';'
        || c == '"'
        || c == '\''
        || c == '<'
        || c == '>'
        || c == ')'
        || c == ']'
        || c == '}';
  }

  /**
   * Whether a URL query parameter ("user=") starts at {@code from}, so a preceding '&' separates.
   */
  private static boolean startsQueryParameter(String text, int from) {
    int pos = from;
    while (pos < text.length() && pos - from < MAX_KEY && isKeyChar(text.charAt(pos))) {
      pos++;
    }
    return pos > from && pos < text.length() && text.charAt(pos) == '=';
  }

  private static boolean isKeyChar(char c) {
    return Chars.isAsciiAlnum(c) || c == '_' || c == '-' || c == '.';
  }

  /** The last letters of the credential keys: a cheap test before the key is examined. */
  private static boolean mayEndCredentialKey(char last) {
    return "dDeEtTnNyYsSlLwW".indexOf(last) >= 0;
  }

  static boolean isCredentialKey(String rawKey) {
    String key = rawKey.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    for (String suffix : KEY_SUFFIXES) {
      if (key.endsWith(suffix)) {
        return true;
      }
    }
    int lastWord = key.lastIndexOf('_');
    return SHORT_KEYS.contains(lastWord < 0 ? key : key.substring(lastWord + 1));
  }
}
