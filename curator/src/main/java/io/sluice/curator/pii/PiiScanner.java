package io.sluice.curator.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One left-to-right pass that hands each detector only the positions it can start at: {@code @} for
 * emails, {@code =} and {@code :} for credential keys, {@code <} for existing placeholders, word
 * starts for tokens, IBANs and name cues, digit-led tokens for numbers. Word interiors are skipped
 * wholesale and other characters by one table lookup, which keeps plain prose above 100 MB/s.
 */
final class PiiScanner {

  /** Overlaps go to the most specific kind: a card number after "password=" is a secret. */
  private static final List<PiiType> PRIORITY =
      List.of(
          PiiType.SECRET,
          PiiType.EMAIL,
          PiiType.IBAN,
          PiiType.CARD,
          PiiType.SSN,
          PiiType.IP,
          PiiType.PHONE,
          PiiType.NAME);

  private static final int[] RANK = ranks();

  private static final Comparator<Span> RESOLUTION_ORDER =
      Comparator.comparingInt((Span span) -> RANK[span.type().ordinal()])
          .thenComparing(Comparator.comparingInt(Span::length).reversed())
          .thenComparingInt(Span::start);

  /** ASCII characters a detector may start at; every other character is skipped at once. */
  private static final boolean[] TRIGGER = triggers();

  private static int[] ranks() {
    int[] ranks = new int[PiiType.values().length];
    for (int rank = 0; rank < PRIORITY.size(); rank++) {
      ranks[PRIORITY.get(rank).ordinal()] = rank;
    }
    return ranks;
  }

  private static boolean[] triggers() {
    boolean[] triggers = new boolean[128];
    for (char c = 0; c < 128; c++) {
      triggers[c] = Chars.isAsciiAlnum(c) || "@=:'\"<-".indexOf(c) >= 0;
    }
    return triggers;
  }

  /**
   * What one scan found: detected values (non-overlapping, in text order) and existing
   * placeholders.
   */
  record Result(List<Span> spans, List<Placeholders.Literal> literals) {}

  private final Set<PiiType> types;
  private final SecretDetector secrets;
  private final NameDetector names;

  PiiScanner(PiiConfig config) {
    this.types = EnumSet.noneOf(PiiType.class);
    this.types.addAll(config.types());
    this.secrets = new SecretDetector(config.secretMinLength());
    this.names = new NameDetector(config.nameMaxTokens());
  }

  Result scan(String text) {
    List<Span> candidates = new ArrayList<>();
    List<Placeholders.Literal> literals = new ArrayList<>();
    // Array access keeps the per-character loop free of String's bounds and coder checks.
    char[] chars = text.toCharArray();
    int n = chars.length;
    int i = 0;
    while (i < n) {
      char c = chars[i];
      int next = i + 1;
      if (c >= 128 || !TRIGGER[c]) {
        i = next;
        continue;
      }
      if (Chars.isAsciiAlnum(c)) {
        int wordEnd = i + 1;
        while (wordEnd < n && Chars.isWordChar(chars[wordEnd])) {
          wordEnd++;
        }
        boolean inWord = i > 0 && Chars.isWordChar(chars[i - 1]);
        next = inWord ? wordEnd : Math.max(wordEnd, atWordStart(text, i, wordEnd, candidates));
      } else if (c == '@') {
        next = Math.max(next, EmailDetector.detect(text, i, candidates));
      } else if (c == '=' || c == ':') {
        next = Math.max(next, secrets.detectKeyValue(text, i, candidates));
        next = Math.max(next, names.detectKeyValue(text, i, candidates));
        if (c == ':' && i + 1 < n && chars[i + 1] == ':' && Ipv6Detector.mayStartAt(text, i)) {
          next = Math.max(next, Ipv6Detector.detect(text, i, candidates));
        }
      } else if (c == '\'' || c == '"') {
        next = Math.max(next, secrets.detectQuotedAfterVerb(text, i, candidates));
      } else if (c == '<') {
        Placeholders.Literal literal = Placeholders.parse(text, i);
        if (literal != null) {
          literals.add(literal);
          next = literal.end();
        } else if (i > 0 && chars[i - 1] == ' ') {
          names.detectBeforeMailbox(text, i, candidates);
        }
      } else if (c == '-' && text.startsWith("-----BEGIN ", i)) {
        next = Math.max(next, secrets.detectPrivateKey(text, i, candidates));
      } else if (c == '-' && text.startsWith("--", i)) {
        next = Math.max(next, names.detectSignature(text, i, candidates));
      }
      i = next;
    }
    if (candidates.isEmpty()) {
      return new Result(List.of(), literals);
    }
    return new Result(resolve(candidates, literals), literals);
  }

  /** Runs the detectors that start at a word start; returns how far they read (or -1). */
  private int atWordStart(String text, int i, int wordEnd, List<Span> out) {
    char c = text.charAt(i);
    int end = -1;
    // An address's first group ends at a colon: "fe80::1", "2001:db8::1" ("::1" starts at the
    // colon).
    if (wordEnd < text.length()
        && text.charAt(wordEnd) == ':'
        && Ipv6Detector.mayStartAt(text, i)) {
      end = Ipv6Detector.detect(text, i, out);
    }
    if (end < 0 && Chars.isDigit(c)) {
      return NumberDetector.isNumberStart(text, i) ? NumberDetector.detect(text, i, out) : -1;
    }
    if (end < 0) {
      end = secrets.detectToken(text, i, wordEnd, out);
    }
    if (end < 0 && IbanDetector.mayStartAt(text, i)) {
      end = IbanDetector.detect(text, i, out);
    }
    if (end < 0 && NameDetector.mayStartAt(text, i, wordEnd)) {
      end = names.detect(text, i, wordEnd, out);
    }
    return end;
  }

  /** Keeps the highest-priority, then longest, candidates that overlap nothing already kept. */
  private List<Span> resolve(List<Span> candidates, List<Placeholders.Literal> literals) {
    List<Span> sorted = new ArrayList<>(candidates.size());
    for (Span candidate : candidates) {
      if (types.contains(candidate.type()) && !overlapsLiteral(candidate, literals)) {
        sorted.add(candidate);
      }
    }
    if (sorted.size() > 1) {
      sorted.sort(RESOLUTION_ORDER);
    }
    List<Span> kept = new ArrayList<>(sorted.size());
    for (Span candidate : sorted) {
      if (!overlapsAny(candidate, kept)) {
        kept.add(candidate);
      }
    }
    kept.sort(Comparator.comparingInt(Span::start));
    return kept;
  }

  static boolean overlapsAny(Span span, List<Span> spans) {
    for (Span other : spans) {
      if (span.overlaps(other)) {
        return true;
      }
    }
    return false;
  }

  private static boolean overlapsLiteral(Span span, List<Placeholders.Literal> literals) {
    for (Placeholders.Literal literal : literals) {
      if (span.start() < literal.end() && literal.start() < span.end()) {
        return true;
      }
    }
    return false;
  }
}
