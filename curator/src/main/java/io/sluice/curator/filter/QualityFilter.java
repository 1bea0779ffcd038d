package io.sluice.curator.filter;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.convert.ToolTexts;
import io.sluice.curator.dedup.ContentNormalizer;
import io.sluice.curator.dedup.NormalizedTexts;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.ExampleKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stage 4: quality rules over an anonymized candidate, each with a reason code. Rules run in a
 * fixed order (structure, length, pair sanity, noise, blocklist) and the first failure wins, so a
 * record always gets the same reason.
 */
public final class QualityFilter {

  private final FilterConfig config;
  private final List<String> blockedTerms;

  public QualityFilter(FilterConfig config) {
    this.config = config;
    this.blockedTerms =
        config.blocklist().stream()
            .map(ContentNormalizer::normalize)
            .filter(term -> !term.isEmpty())
            .toList();
  }

  /** The first rule {@code candidate} breaks, or empty when it may be trained on. */
  public Optional<FilterVerdict> check(Candidate candidate) {
    return check(candidate, new NormalizedTexts());
  }

  /**
   * The first rule {@code candidate} breaks, taking normalized texts from {@code normalized} (which
   * the deduplicator then reuses). Rules run only until one fails.
   */
  public Optional<FilterVerdict> check(Candidate candidate, NormalizedTexts normalized) {
    Map<String, String> texts = namedTexts(candidate);
    Optional<FilterVerdict> verdict = emptyField(texts);
    if (verdict.isEmpty()) {
      verdict = lengths(candidate);
    }
    if (verdict.isEmpty()) {
      verdict = chosenEqualsRejected(candidate, normalized);
    }
    if (verdict.isEmpty()) {
      verdict = noise(texts, normalized);
    }
    if (verdict.isEmpty()) {
      verdict = blocklisted(texts, normalized);
    }
    return verdict;
  }

  /** Every text of the record by its field path, prompt turns first. */
  private static Map<String, String> namedTexts(Candidate candidate) {
    Map<String, String> texts = new LinkedHashMap<>();
    if (candidate.prompt() instanceof CharSequence prompt) {
      texts.put("prompt", prompt.toString());
    } else {
      List<ChatMessage> turns = candidate.promptTurns();
      for (int i = 0; i < turns.size(); i++) {
        ChatMessage turn = turns.get(i);
        if (turn.getToolCalls().isEmpty() || !turn.getContent().isEmpty()) {
          texts.put("prompt[" + i + "].content", turn.getContent());
        }
        for (int j = 0; j < turn.getToolCalls().size(); j++) {
          texts.put(
              "prompt[" + i + "].tool_calls[" + j + "].arguments",
              turn.getToolCalls().get(j).getArguments());
        }
      }
    }
    if (candidate.kind() != ExampleKind.PREFERENCE) {
      texts.put("completion", candidate.answerTexts().get(0));
    } else {
      texts.put("chosen", candidate.chosen());
      texts.put("rejected", candidate.rejected());
    }
    return texts;
  }

  private static Optional<FilterVerdict> emptyField(Map<String, String> texts) {
    return texts.entrySet().stream()
        .filter(entry -> entry.getValue().isBlank())
        .findFirst()
        .map(
            entry ->
                new FilterVerdict(
                    RejectionReason.EMPTY_FIELD, entry.getKey() + " is empty or whitespace-only"));
  }

  private Optional<FilterVerdict> lengths(Candidate candidate) {
    int promptChars = 0;
    int promptVisible = 0;
    for (ChatMessage turn : candidate.promptTurns()) {
      String text = ToolTexts.visibleText(turn.getContent(), turn.getToolCalls());
      promptChars += text.length();
      promptVisible += CharCounts.of(text).visible();
    }
    if (promptVisible < config.minPromptChars()) {
      return tooShort("prompt", promptVisible, config.minPromptChars());
    }
    if (promptChars > config.maxPromptChars()) {
      return tooLong("prompt", promptChars, config.maxPromptChars());
    }
    List<String> names =
        candidate.kind() == ExampleKind.PREFERENCE
            ? List.of("chosen", "rejected")
            : List.of("completion");
    List<String> answers = candidate.answerTexts();
    for (int i = 0; i < answers.size(); i++) {
      String answer = answers.get(i);
      int visible = CharCounts.of(answer).visible();
      if (visible < config.minAnswerChars()) {
        return tooShort(names.get(i), visible, config.minAnswerChars());
      }
      if (answer.length() > config.maxAnswerChars()) {
        return tooLong(names.get(i), answer.length(), config.maxAnswerChars());
      }
    }
    return Optional.empty();
  }

  private static Optional<FilterVerdict> tooShort(String field, int chars, int minimum) {
    return Optional.of(
        new FilterVerdict(
            RejectionReason.TOO_SHORT,
            field + " has " + chars + " non-whitespace characters; the minimum is " + minimum));
  }

  private static Optional<FilterVerdict> tooLong(String field, int chars, int maximum) {
    return Optional.of(
        new FilterVerdict(
            RejectionReason.TOO_LONG,
            field + " has " + chars + " characters; the maximum is " + maximum));
  }

  private static Optional<FilterVerdict> chosenEqualsRejected(
      Candidate candidate, NormalizedTexts normalized) {
    if (candidate.kind() == ExampleKind.PREFERENCE
        && normalized.of(candidate.chosen()).equals(normalized.of(candidate.rejected()))) {
      return Optional.of(
          new FilterVerdict(
              RejectionReason.CHOSEN_EQUALS_REJECTED,
              "chosen and rejected are the same text after normalization: the pair teaches nothing"));
    }
    return Optional.empty();
  }

  private Optional<FilterVerdict> noise(Map<String, String> texts, NormalizedTexts normalized) {
    for (Map.Entry<String, String> entry : texts.entrySet()) {
      String text = entry.getValue();
      CharCounts counts = CharCounts.of(text);
      if (counts.visible() >= config.symbolRatioMinChars()) {
        double ratio = (double) counts.symbols() / counts.visible();
        if (ratio > config.maxSymbolRatio()) {
          return Optional.of(
              new FilterVerdict(
                  RejectionReason.TOO_MANY_SYMBOLS,
                  String.format(
                      "%s is %.0f%% symbols; the maximum is %.0f%%",
                      entry.getKey(), ratio * 100, config.maxSymbolRatio() * 100)));
        }
      }
      double repeated = repeatedNgramRatioOfNormalized(normalized.of(text));
      if (repeated > config.maxRepeatedNgramRatio()) {
        return Optional.of(
            new FilterVerdict(
                RejectionReason.REPEATED_NGRAMS,
                String.format(
                    "%.0f%% of the %d-word sequences in %s repeat; the maximum is %.0f%%",
                    repeated * 100,
                    config.repeatedNgramWords(),
                    entry.getKey(),
                    config.maxRepeatedNgramRatio() * 100)));
      }
    }
    return Optional.empty();
  }

  private Optional<FilterVerdict> blocklisted(
      Map<String, String> texts, NormalizedTexts normalized) {
    if (blockedTerms.isEmpty()) {
      return Optional.empty();
    }
    for (Map.Entry<String, String> entry : texts.entrySet()) {
      String padded = " " + normalized.of(entry.getValue()) + " ";
      for (String term : blockedTerms) {
        if (padded.contains(" " + term + " ")) {
          return Optional.of(
              new FilterVerdict(
                  RejectionReason.BLOCKLISTED_TERM,
                  entry.getKey() + " contains the blocklisted term \"" + term + "\""));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Non-whitespace code points of a text, and how many of them are neither letters nor digits,
   * counted in one pass (this runs on every text of every record); surrogate pairs count once.
   */
  private record CharCounts(int visible, int symbols) {

    /**
     * ASCII classes by table: 0 whitespace, 1 letter or digit, 2 symbol. Most chat text is ASCII.
     */
    private static final byte[] ASCII = asciiClasses();

    private static byte[] asciiClasses() {
      byte[] classes = new byte[128];
      for (char c = 0; c < 128; c++) {
        classes[c] = (byte) (Character.isWhitespace(c) ? 0 : Character.isLetterOrDigit(c) ? 1 : 2);
      }
      return classes;
    }

    static CharCounts of(String text) {
      int visible = 0;
      int symbols = 0;
      for (int i = 0; i < text.length(); ) {
        char c = text.charAt(i);
        if (c < 128) {
          byte kind = ASCII[c];
          visible += kind == 0 ? 0 : 1;
          symbols += kind == 2 ? 1 : 0;
          i++;
          continue;
        }
        int codePoint = Character.isSurrogate(c) ? text.codePointAt(i) : c;
        if (!Character.isWhitespace(codePoint)) {
          visible++;
          if (!Character.isLetterOrDigit(codePoint)) {
            symbols++;
          }
        }
        i += Character.charCount(codePoint);
      }
      return new CharCounts(visible, symbols);
    }
  }

  /**
   * Share of word n-grams that repeat an earlier n-gram of the same text (Gopher-style, on words):
   * n-grams minus distinct n-grams, over n-grams. N-grams are compared by a 64-bit hash of their
   * words (counted in a hash table), not as joined strings: this rule runs on every text of every
   * record, and building a string per n-gram was most of its cost. A hash collision, at odds of
   * about n^2 / 2^64, could only count one extra repeat.
   */
  double repeatedNgramRatio(String text) {
    return repeatedNgramRatioOfNormalized(ContentNormalizer.normalize(text));
  }

  private double repeatedNgramRatioOfNormalized(String normalized) {
    if (normalized.isEmpty()) {
      return 0;
    }
    int n = config.repeatedNgramWords();
    long[] wordHashes = wordHashes(normalized);
    if (wordHashes.length < config.repeatedNgramMinWords()) {
      return 0;
    }
    int total = wordHashes.length - n + 1;
    long[] ngrams = new long[total];
    for (int start = 0; start < total; start++) {
      long hash = 0;
      for (int k = 0; k < n; k++) {
        hash = (hash + wordHashes[start + k]) * 0x9e3779b97f4a7c15L; // order-sensitive
      }
      ngrams[start] = hash;
    }
    return (double) repeats(ngrams) / total;
  }

  /**
   * How many of the hashes repeat an earlier one: inserted into an open-addressing table at most
   * half full, one probe sequence each, instead of sorting (this runs on every text).
   */
  private static int repeats(long[] hashes) {
    int capacity = Integer.highestOneBit(Math.max(4, hashes.length) * 2) * 2;
    long[] table = new long[capacity];
    boolean[] used = new boolean[capacity];
    int mask = capacity - 1;
    int repeats = 0;
    for (long hash : hashes) {
      int slot = (int) (hash ^ (hash >>> 32)) & mask;
      while (used[slot] && table[slot] != hash) {
        slot = (slot + 1) & mask;
      }
      if (used[slot]) {
        repeats++;
      } else {
        used[slot] = true;
        table[slot] = hash;
      }
    }
    return repeats;
  }

  /**
   * One hash per word of a normalized text (words separated by single spaces), found by scanning
   * rather than splitting, so no string is built per word.
   */
  private static long[] wordHashes(String normalized) {
    int words = 1;
    for (int i = 0; i < normalized.length(); i++) {
      if (normalized.charAt(i) == ' ') {
        words++;
      }
    }
    long[] hashes = new long[words];
    int start = 0;
    for (int w = 0; w < words; w++) {
      int end = normalized.indexOf(' ', start);
      if (end < 0) {
        end = normalized.length();
      }
      hashes[w] = wordHash(normalized, start, end);
      start = end + 1;
    }
    return hashes;
  }

  /** FNV-1a over the word's chars, then SplitMix64's finalizer for avalanche. */
  private static long wordHash(String text, int start, int end) {
    long hash = 0xcbf29ce484222325L;
    for (int i = start; i < end; i++) {
      hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
    }
    hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
    hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
    return hash ^ (hash >>> 31);
  }
}
