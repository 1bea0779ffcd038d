package io.sluice.curator.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Best-effort person names, found only after cues: introductions ("my name is", "this is", "I'm"),
 * greetings ("Dear", "Hi"), titles ("Mr.", "Dr.") and sign-offs ("Thanks,\nMaria"). A name is one
 * to {@code maxTokens} capitalized words that are not on a stoplist of capitalized non-names
 * (weekdays, pronouns, products, support words), so "this is a bug" and "this is Windows" keep
 * their words.
 */
final class NameDetector {

  private enum Kind {
    /** The name follows and may be followed by anything: "This is Carlos from billing". */
    INTRO,
    /** The name must end a clause: "Hi Sarah," "Hello Maria!". */
    GREETING,
    /** A title word, capitalized, before a surname; the title itself is kept: "Dear Mr. Smith". */
    TITLE,
    /** The name must end its line or the text: "Best regards,\nJohn Smith". */
    SIGNOFF
  }

  private record Cue(String phrase, Kind kind) {}

  private static final List<Cue> CUES =
      List.of(
          new Cue("my name is", Kind.INTRO),
          new Cue("my name's", Kind.INTRO),
          new Cue("this is", Kind.INTRO),
          new Cue("i'm", Kind.INTRO),
          new Cue("i\u2019m", Kind.INTRO),
          new Cue("i am", Kind.INTRO),
          new Cue("call me", Kind.INTRO),
          new Cue("spoke with", Kind.INTRO),
          new Cue("spoke to", Kind.INTRO),
          new Cue("speaking with", Kind.INTRO),
          new Cue("talked to", Kind.INTRO),
          new Cue("talked with", Kind.INTRO),
          new Cue("assisted by", Kind.INTRO),
          new Cue("helped by", Kind.INTRO),
          new Cue("dear", Kind.GREETING),
          new Cue("hi", Kind.GREETING),
          new Cue("hello", Kind.GREETING),
          new Cue("hey", Kind.GREETING),
          new Cue("good morning", Kind.GREETING),
          new Cue("good afternoon", Kind.GREETING),
          new Cue("good evening", Kind.GREETING),
          new Cue("thanks", Kind.SIGNOFF),
          new Cue("thank you", Kind.SIGNOFF),
          new Cue("many thanks", Kind.SIGNOFF),
          new Cue("thanks again", Kind.SIGNOFF),
          new Cue("thanks so much", Kind.SIGNOFF),
          new Cue("thank you so much", Kind.SIGNOFF),
          new Cue("thanks a lot", Kind.SIGNOFF),
          new Cue("thanks in advance", Kind.SIGNOFF),
          new Cue("with thanks", Kind.SIGNOFF),
          new Cue("kindest regards", Kind.SIGNOFF),
          new Cue("thx", Kind.SIGNOFF),
          new Cue("regards", Kind.SIGNOFF),
          new Cue("best regards", Kind.SIGNOFF),
          new Cue("kind regards", Kind.SIGNOFF),
          new Cue("warm regards", Kind.SIGNOFF),
          new Cue("warmest regards", Kind.SIGNOFF),
          new Cue("best wishes", Kind.SIGNOFF),
          new Cue("best", Kind.SIGNOFF),
          new Cue("all the best", Kind.SIGNOFF),
          new Cue("cheers", Kind.SIGNOFF),
          new Cue("sincerely", Kind.SIGNOFF),
          new Cue("yours truly", Kind.SIGNOFF),
          new Cue("yours sincerely", Kind.SIGNOFF),
          new Cue("respectfully", Kind.SIGNOFF),
          new Cue("br", Kind.SIGNOFF),
          new Cue("rgds", Kind.SIGNOFF),
          new Cue("kr", Kind.SIGNOFF),
          new Cue("take care", Kind.SIGNOFF),
          new Cue("cordially", Kind.SIGNOFF),
          new Cue("mr", Kind.TITLE),
          new Cue("mrs", Kind.TITLE),
          new Cue("ms", Kind.TITLE),
          new Cue("miss", Kind.TITLE),
          new Cue("mx", Kind.TITLE),
          new Cue("dr", Kind.TITLE),
          new Cue("prof", Kind.TITLE));

  /** Longest first word of a cue ("respectfully"). */
  private static final int MAX_FIRST_WORD = 12;

  /**
   * Cues by the lowercase letter they start with and the length of their first word, longest phrase
   * first. Most words of a text match no entry, so they cost one table lookup.
   */
  private static final Cue[][][] CUES_BY_START = byStart();

  private static final Cue[] NO_CUES = {};

  /** Capitalized words that are not names, lowercase. */
  private static final WordSet STOP =
      new WordSet(
          List.of(
              // pronouns, articles, conjunctions and sentence starters
              "i",
              "i'm",
              "im",
              "i've",
              "i'd",
              "i'll",
              "a",
              "an",
              "the",
              "this",
              "that",
              "these",
              "those",
              "it",
              "its",
              "we",
              "you",
              "he",
              "she",
              "they",
              "me",
              "my",
              "our",
              "your",
              "his",
              "her",
              "their",
              "us",
              "them",
              "and",
              "or",
              "but",
              "so",
              "if",
              "then",
              "not",
              "no",
              "yes",
              "yeah",
              "ok",
              "okay",
              "sure",
              "please",
              "thanks",
              "thank",
              "sorry",
              "hello",
              "hi",
              "hey",
              "dear",
              "also",
              "just",
              "still",
              "now",
              "here",
              "there",
              "again",
              "when",
              "what",
              "why",
              "how",
              "where",
              "who",
              "which",
              "all",
              "any",
              "some",
              "every",
              "each",
              "both",
              "one",
              "two",
              "very",
              "much",
              "many",
              "more",
              "most",
              "great",
              "good",
              "best",
              "kind",
              "warm",
              "regards",
              "cheers",
              "sincerely",
              "happy",
              "glad",
              "new",
              "old",
              "first",
              "last",
              "next",
              "unable",
              "able",
              "going",
              "trying",
              "having",
              "getting",
              "looking",
              "writing",
              "calling",
              "reaching",
              "following",
              "regarding",
              "re",
              "fw",
              "fwd",
              "is",
              "was",
              "are",
              "be",
              "been",
              "can",
              "could",
              "would",
              "should",
              "will",
              "may",
              "might",
              "must",
              "do",
              "does",
              "did",
              "have",
              "has",
              "had",
              "let",
              "lets",
              "let's",
              "after",
              "before",
              "since",
              "because",
              "as",
              "at",
              "in",
              "on",
              "for",
              "from",
              "to",
              "of",
              "by",
              "with",
              "about",
              "into",
              "over",
              "under",
              "again",
              "today",
              "tomorrow",
              "yesterday",
              "tonight",
              "morning",
              "afternoon",
              "evening",
              "night",
              "weekend",
              "everyone",
              "everybody",
              "anyone",
              "someone",
              "nobody",
              "all",
              "folks",
              "guys",
              "team",
              "teams",
              "friend",
              "friends",
              "sir",
              "madam",
              "maam",
              "ma'am",
              "mr",
              "mrs",
              "ms",
              "dr",
              "prof",
              "miss",
              "customer",
              "customers",
              "client",
              "user",
              "users",
              "member",
              "members",
              "admin",
              "manager",
              "agent",
              "support",
              "service",
              "services",
              "billing",
              "sales",
              "accounts",
              "account",
              "hr",
              "it",
              "help",
              "helpdesk",
              "desk",
              "operations",
              "engineering",
              "security",
              "legal",
              "finance",
              "urgent",
              "important",
              "update",
              "issue",
              "problem",
              "bug",
              "error",
              "question",
              "request",
              "ticket",
              "order",
              "refund",
              "invoice",
              "payment",
              "subscription",
              "plan",
              "premium",
              "pro",
              "plus",
              "basic",
              "free",
              "enterprise",
              "business",
              "personal",
              "standard",
              "gold",
              "silver",
              "platinum",
              "fine",
              "back",
              "done",
              "ready",
              "home",
              "busy",
              "available",
              "wondering",
              "afraid",
              "confused",
              "frustrated",
              "interested",
              "excited",
              "pleased",
              "sad",
              "tired",
              "stuck",
              "lost",
              "using",
              "curious",
              "concerned",
              "worried",
              "disappointed",
              "satisfied",
              "unhappy",
              "grateful",
              "thankful",
              "aware",
              "unsure",
              "world",
              "mate",
              "buddy",
              "pal",
              "dude",
              "man",
              "people",
              "sorry",
              "appreciated",
              "much",
              "note",
              "ps",
              "p.s",
              "edit",
              // weekdays and months
              "monday",
              "tuesday",
              "wednesday",
              "thursday",
              "friday",
              "saturday",
              "sunday",
              "january",
              "february",
              "march",
              "april",
              "june",
              "july",
              "august",
              "september",
              "october",
              "november",
              "december",
              "christmas",
              "easter",
              "thanksgiving",
              // products, platforms and vendors that follow "this is" or "I'm on"
              "windows",
              "mac",
              "macos",
              "linux",
              "ubuntu",
              "android",
              "ios",
              "iphone",
              "ipad",
              "pixel",
              "galaxy",
              "samsung",
              "chrome",
              "firefox",
              "safari",
              "edge",
              "excel",
              "word",
              "outlook",
              "office",
              "slack",
              "zoom",
              "google",
              "gmail",
              "microsoft",
              "apple",
              "amazon",
              "aws",
              "azure",
              "github",
              "gitlab",
              "docker",
              "kubernetes",
              "kafka",
              "java",
              "python",
              "javascript",
              "typescript",
              "rust",
              "go",
              "sql",
              "postgres",
              "mysql",
              "redis",
              "stripe",
              "paypal",
              "visa",
              "mastercard",
              "amex",
              "sluice",
              "api",
              "sdk",
              "cli",
              "app",
              "dashboard",
              "console",
              "portal",
              "settings",
              "version",
              "beta",
              "alpha",
              "release",
              "production",
              "staging",
              "prod",
              "dev",
              "test",
              "server",
              "cloud",
              "english",
              "spanish",
              "french",
              "german",
              "american",
              "canadian",
              "british",
              "european"));

  private final int maxTokens;

  NameDetector(int maxTokens) {
    this.maxTokens = maxTokens;
  }

  /** Whether a cue may start at the word {@code [s, wordEnd)}. */
  static boolean mayStartAt(String text, int s, int wordEnd) {
    return cuesAt(text, s, wordEnd).length > 0;
  }

  /**
   * Adds the name after a cue at the word {@code [s, wordEnd)}; returns the end of what was read,
   * or -1.
   */
  int detect(String text, int s, int wordEnd, List<Span> out) {
    for (Cue cue : cuesAt(text, s, wordEnd)) {
      int after = s + cue.phrase().length();
      if (!Chars.startsWithIgnoreCase(text, s, cue.phrase()) || Chars.isWordCharAt(text, after)) {
        continue;
      }
      int end =
          switch (cue.kind()) {
            case INTRO -> nameAfterSpace(text, after, out);
            case GREETING -> greeting(text, s, after, out);
            case TITLE -> Chars.isAsciiUpper(text.charAt(s)) ? title(text, after, out) : -1;
            case SIGNOFF -> signoff(text, after, out);
          };
      if (end >= 0) {
        return end;
      }
    }
    return -1;
  }

  private static Cue[] cuesAt(String text, int s, int wordEnd) {
    int length = wordEnd - s;
    char c = (char) (text.charAt(s) | 0x20);
    if (length > MAX_FIRST_WORD || c < 'a' || c > 'z') {
      return NO_CUES;
    }
    return CUES_BY_START[c - 'a'][length];
  }

  /**
   * Keys whose value is a person's name in JSON, YAML, forms and logs; one capitalized word is
   * enough.
   */
  private static final WordSet PERSON_KEYS =
      new WordSet(
          List.of(
              "full_name",
              "first_name",
              "last_name",
              "surname",
              "given_name",
              "family_name",
              "contact_name",
              "contact",
              "person",
              "customer",
              "customer_name",
              "display_name",
              "author",
              "assignee",
              "reporter",
              "requester",
              "requestor",
              "recipient",
              "sender",
              "signed_by",
              "signed",
              "signature",
              "owner_name",
              "cardholder",
              "holder_name"));

  /** The bare "name" key names objects as often as people, so it needs a first and a last name. */
  private static final WordSet NAME_KEY = new WordSet(List.of("name"));

  /**
   * Adds the name that is the value of a person key whose separator ({@code :} or {@code =}) is at
   * {@code at}: {@code "full_name": "Jane Doe"}, {@code name: Jane Doe}. The name must be the whole
   * value. Returns the end of the name, or -1.
   */
  int detectKeyValue(String text, int at, List<Span> out) {
    int keyEnd = at;
    if (keyEnd > 0 && (text.charAt(keyEnd - 1) == '"' || text.charAt(keyEnd - 1) == '\'')) {
      keyEnd--;
    }
    int keyStart = keyEnd;
    while (keyStart > 0
        && keyEnd - keyStart <= 16
        && (Chars.isAsciiLetter(text.charAt(keyStart - 1))
            || text.charAt(keyStart - 1) == '_'
            || text.charAt(keyStart - 1) == '-')) {
      keyStart--;
    }
    boolean person = PERSON_KEYS.contains(text, keyStart, keyEnd);
    if (!person && !NAME_KEY.contains(text, keyStart, keyEnd)) {
      return -1;
    }
    int start = skipSpaces(text, at + 1, false);
    char quote = start < text.length() ? text.charAt(start) : 0;
    if (quote == '"' || quote == '\'') {
      start++;
    }
    List<Span> found = new ArrayList<>(1);
    int end = name(text, start, found);
    if (end < 0 || (!person && text.lastIndexOf(' ', end) < start)) {
      return -1;
    }
    boolean whole =
        quote == '"' || quote == '\''
            ? end < text.length() && text.charAt(end) == quote
            : end >= text.length() || ",;}\r\n".indexOf(text.charAt(end)) >= 0;
    if (!whole) {
      return -1;
    }
    out.addAll(found);
    return end;
  }

  /** Longest {@code <address>} read after a mailbox name. */
  private static final int MAX_MAILBOX_ADDRESS = 256;

  /** Whether {@code " <local@domain>"} follows {@code end}. */
  private static boolean beforeMailboxAddress(String text, int end) {
    if (!text.startsWith(" <", end)) {
      return false;
    }
    int limit = Math.min(text.length(), end + MAX_MAILBOX_ADDRESS);
    boolean at = false;
    for (int pos = end + 2; pos < limit; pos++) {
      char c = text.charAt(pos);
      if (c == '>') {
        return at;
      }
      if (c == '@') {
        at = true;
      } else if (Character.isWhitespace(c) || c == '<') {
        return false;
      }
    }
    return false;
  }

  /**
   * Adds the name written right before a mailbox address whose {@code <} is at {@code lt}: quoted
   * reply headers ({@code On Monday Jane Doe <jane@example.com> wrote:}) and address lists. Tries
   * the longest run of up to {@code maxTokens} words that reads as a name ending at the address.
   * Returns -1: scanning goes on at the {@code <} so the address itself is still read.
   */
  int detectBeforeMailbox(String text, int lt, List<Span> out) {
    int end = lt - 1;
    if (end < 1 || !beforeMailboxAddress(text, end)) {
      return -1;
    }
    int[] starts = new int[maxTokens];
    int words = 0;
    int pos = end;
    while (words < maxTokens) {
      int wordStart = pos;
      while (wordStart > 0 && isNameWordChar(text.charAt(wordStart - 1))) {
        wordStart--;
      }
      if (wordStart == pos) {
        break;
      }
      starts[words++] = wordStart;
      if (wordStart < 2 || text.charAt(wordStart - 1) != ' ') {
        break;
      }
      pos = wordStart - 1;
    }
    for (int w = words - 1; w >= 0; w--) {
      List<Span> found = new ArrayList<>(1);
      if (name(text, starts[w], found) == end) {
        out.addAll(found);
        return -1;
      }
    }
    return -1;
  }

  private static boolean isNameWordChar(char c) {
    return Character.isLetter(c) || c == '\'' || c == '-' || c == '\u2019';
  }

  /** Adds the name on the line after an email signature delimiter ("-- " on its own line). */
  int detectSignature(String text, int s, List<Span> out) {
    int pos = s + 2;
    if (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == '\r') {
      pos++;
    }
    if ((s > 0 && text.charAt(s - 1) != '\n') || pos >= text.length() || text.charAt(pos) != '\n') {
      return -1;
    }
    List<Span> found = new ArrayList<>(1);
    int end = name(text, pos + 1, found);
    if (end < 0 || !endsLine(text, pos + 1, end)) {
      return -1;
    }
    out.addAll(found);
    return end;
  }

  private int greeting(String text, int s, int after, List<Span> out) {
    boolean dear = Chars.startsWithIgnoreCase(text, s, "dear");
    int pos = after < text.length() && text.charAt(after) == ',' ? after + 1 : after;
    int start = skipSpaces(text, pos, false);
    if (start == pos) {
      return -1;
    }
    int titleEnd = titleWordEnd(text, start);
    if (titleEnd >= 0) {
      return title(text, titleEnd, out);
    }
    List<Span> found = new ArrayList<>(1);
    int end = name(text, start, found);
    if (end < 0 || (!dear && !endsClause(text, end))) {
      return -1;
    }
    out.addAll(found);
    return end;
  }

  private int title(String text, int after, List<Span> out) {
    int pos = after < text.length() && text.charAt(after) == '.' ? after + 1 : after;
    return nameAfterSpace(text, pos, out);
  }

  private int signoff(String text, int after, List<Span> out) {
    int pos = after;
    if (pos < text.length()
        && (text.charAt(pos) == ',' || text.charAt(pos) == '!' || text.charAt(pos) == '.')) {
      pos++;
    }
    int start = skipSpaces(text, pos, true);
    if (start < text.length()
        && (text.charAt(start) == '-' || text.charAt(start) == '\u2014')
        && start > pos) {
      // "Thanks - Maria", "Thanks — Maria"
      start = skipSpaces(text, start + 1, false);
    }
    if (start == pos) {
      return -1;
    }
    List<Span> found = new ArrayList<>(1);
    int end = name(text, start, found);
    if (end < 0 || !endsLine(text, start, end)) {
      return -1;
    }
    out.addAll(found);
    return end;
  }

  private int nameAfterSpace(String text, int after, List<Span> out) {
    int start = skipSpaces(text, after, false);
    if (start == after) {
      return -1;
    }
    return name(text, start, out);
  }

  /** Reads one to {@code maxTokens} capitalized non-stoplisted words at {@code start}. */
  private int name(String text, int start, List<Span> out) {
    int end = -1;
    int pos = start;
    for (int tokens = 0; tokens < maxTokens; tokens++) {
      int tokenEnd = nameTokenEnd(text, pos);
      if (tokenEnd < 0 && end >= 0) {
        // Inside a name: a particle or a one-letter word before a surname ("van Dijk", "Ó Briain").
        int inner = innerWordEnd(text, pos);
        if (inner >= 0) {
          pos = inner + 1;
          continue;
        }
      }
      if (tokenEnd < 0) {
        break;
      }
      boolean possessive =
          tokenEnd - pos > 3
              && text.charAt(tokenEnd - 1) == 's'
              && (text.charAt(tokenEnd - 2) == '\'' || text.charAt(tokenEnd - 2) == '\u2019');
      int wordEnd = possessive ? tokenEnd - 2 : tokenEnd;
      if (end >= 0 && COMPANY_SUFFIXES.contains(text, pos, wordEnd)) {
        return -1;
      }
      if (STOP.contains(text, pos, wordEnd)) {
        break;
      }
      end = wordEnd;
      if (possessive || end + 1 >= text.length() || text.charAt(end) != ' ') {
        break;
      }
      pos = end + 1;
    }
    if (end < 0 || beforeCompanySuffix(text, end)) {
      return -1;
    }
    out.add(
        new Span(start, end, PiiType.NAME, text.substring(start, end).toLowerCase(Locale.ROOT)));
    return end;
  }

  /** Legal-form words that make the capitalized words before them a company ("Acme Corp"). */
  private static final WordSet COMPANY_SUFFIXES =
      new WordSet(
          List.of(
              "inc",
              "corp",
              "corporation",
              "ltd",
              "llc",
              "llp",
              "plc",
              "gmbh",
              "ag",
              "sa",
              "sarl",
              "bv",
              "nv",
              "co",
              "company",
              "group",
              "holdings",
              "limited",
              "pty",
              "oy",
              "ab",
              "as",
              "kg",
              "srl",
              "spa"));

  /** Whether a legal-form word follows the words that end at {@code end} (past maxTokens). */
  private static boolean beforeCompanySuffix(String text, int end) {
    if (end + 1 >= text.length() || text.charAt(end) != ' ') {
      return false;
    }
    int wordEnd = end + 1;
    while (wordEnd < text.length() && Chars.isAsciiLetter(text.charAt(wordEnd))) {
      wordEnd++;
    }
    return wordEnd > end + 1
        && Character.isUpperCase(text.charAt(end + 1))
        && COMPANY_SUFFIXES.contains(text, end + 1, wordEnd);
  }

  /** End of a capitalized word ("Maria", "O'Brien", "McDonald", "Mary-Jane", "José"), or -1. */
  static int nameTokenEnd(String text, int start) {
    if (start >= text.length() || !Character.isUpperCase(text.charAt(start))) {
      return -1;
    }
    int end = start + 1;
    boolean lower = false;
    while (end < text.length()) {
      char c = text.charAt(end);
      if (Character.isLetter(c)) {
        lower |= Character.isLowerCase(c);
        end++;
      } else if ((c == '\'' || c == '\u2019' || c == '-')
          && end + 1 < text.length()
          && Character.isLetter(text.charAt(end + 1))) {
        end++;
      } else {
        break;
      }
    }
    if (!lower || Chars.isWordCharAt(text, end)) {
      return -1;
    }
    return end;
  }

  private static final Set<String> PARTICLES =
      Set.of(
          "van", "von", "de", "der", "den", "da", "di", "del", "della", "du", "le", "la", "bin",
          "al", "el", "ter");

  /**
   * End of a particle or one-letter word at {@code start} that a capitalized surname follows, or
   * -1; the caller only asks after a first name.
   */
  private static int innerWordEnd(String text, int start) {
    int end = start;
    while (end < text.length() && Character.isLetter(text.charAt(end))) {
      end++;
    }
    boolean particle = PARTICLES.contains(text.substring(start, end));
    boolean initial = end - start == 1 && Character.isUpperCase(text.charAt(start));
    if (!(particle || initial)
        || end + 1 >= text.length()
        || text.charAt(end) != ' '
        || nameTokenEnd(text, end + 1) < 0) {
      return -1;
    }
    return end;
  }

  /** End of a title word ("Mr", "Dr.") at {@code start} when one is there, else -1. */
  private static int titleWordEnd(String text, int start) {
    for (String title : new String[] {"Mrs", "Mr", "Ms", "Miss", "Mx", "Dr", "Prof"}) {
      if (text.startsWith(title, start) && !Chars.isWordCharAt(text, start + title.length())) {
        return start + title.length();
      }
    }
    return -1;
  }

  private static int skipSpaces(String text, int from, boolean newlines) {
    int pos = from;
    while (pos < text.length()
        && pos - from < 8
        && (Chars.isLineSpace(text.charAt(pos)) || (newlines && isLineBreak(text.charAt(pos))))) {
      pos++;
    }
    return pos;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r';
  }

  /**
   * A greeting's name ends its clause: "Hi Sarah," "Hello Maria!" "Hey Sam\n" "Hey Tom - quick
   * one".
   */
  private static boolean endsClause(String text, int end) {
    if (end >= text.length() || ",!.:;\n\r\u2014".indexOf(text.charAt(end)) >= 0) {
      return true;
    }
    return text.charAt(end) == ' '
        && end + 1 < text.length()
        && "-\u2013\u2014".indexOf(text.charAt(end + 1)) >= 0;
  }

  /**
   * A sign-off's name ends its line, the text, or its sentence: "Thanks, Maria. Have a nice day". A
   * name on a line of its own may also be followed by its signature's role or company ("Jane Doe |
   * Acme", "Jane Doe - IT desk", "Jane Doe, Support Engineer").
   */
  private static boolean endsLine(String text, int start, int end) {
    if (startsLine(text, start) && beforeSignatureDetail(text, end)) {
      return true;
    }
    int pos = end;
    boolean sentenceEnd = false;
    if (pos < text.length() && ".!,".indexOf(text.charAt(pos)) >= 0) {
      sentenceEnd = text.charAt(pos) != ',';
      pos++;
    }
    int spaces = pos;
    while (pos < text.length() && Chars.isLineSpace(text.charAt(pos))) {
      pos++;
    }
    if (pos >= text.length() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r') {
      return true;
    }
    return sentenceEnd && pos > spaces && Character.isUpperCase(text.charAt(pos));
  }

  private static boolean startsLine(String text, int start) {
    int pos = start;
    while (pos > 0 && Chars.isLineSpace(text.charAt(pos - 1))) {
      pos--;
    }
    return pos == 0 || text.charAt(pos - 1) == '\n';
  }

  /** " | ", " - ", " – ", " — " or ", " and a capitalized word follow {@code end}. */
  private static boolean beforeSignatureDetail(String text, int end) {
    if (end + 2 < text.length()
        && text.charAt(end) == ' '
        && "|-–—".indexOf(text.charAt(end + 1)) >= 0
        && text.charAt(end + 2) == ' ') {
      return true;
    }
    return end + 3 < text.length()
        && text.charAt(end) == ','
        && text.charAt(end + 1) == ' '
        && Character.isUpperCase(text.charAt(end + 2))
        && Character.isLetter(text.charAt(end + 3));
  }

  private static Cue[][][] byStart() {
    Cue[][][] table = new Cue[26][MAX_FIRST_WORD + 1][];
    for (int letter = 0; letter < 26; letter++) {
      for (int length = 0; length <= MAX_FIRST_WORD; length++) {
        char first = (char) ('a' + letter);
        int firstWord = length;
        table[letter][length] =
            CUES.stream()
                .filter(
                    cue ->
                        cue.phrase().charAt(0) == first
                            && firstWordLength(cue.phrase()) == firstWord)
                .sorted((x, y) -> Integer.compare(y.phrase().length(), x.phrase().length()))
                .toArray(Cue[]::new);
      }
    }
    return table;
  }

  /** Letters before the first non-letter: "i'm" and "i am" start with the word "i". */
  private static int firstWordLength(String phrase) {
    int length = 0;
    while (length < phrase.length() && Chars.isAsciiLetter(phrase.charAt(length))) {
      length++;
    }
    return length;
  }
}
