package io.sluice.curator.filter;

import java.util.List;

/**
 * Thresholds of the quality filter, sized for short chat turns rather than web documents (the
 * rationale of each default is in docs/curator.md).
 *
 * @param minPromptChars fewest non-whitespace characters in a prompt
 * @param maxPromptChars most characters in a prompt (all turns together)
 * @param minAnswerChars fewest non-whitespace characters in a completion, chosen or rejected answer
 * @param maxAnswerChars most characters in one answer
 * @param maxSymbolRatio largest share of non-whitespace characters that are neither letters nor
 *     digits, for texts of at least {@code symbolRatioMinChars} non-whitespace characters
 * @param symbolRatioMinChars below this many non-whitespace characters the symbol ratio is not
 *     judged, so short answers such as "OK!" or "v2.1.3" are not penalized
 * @param repeatedNgramWords n of the word n-grams counted for repetition
 * @param maxRepeatedNgramRatio largest share of word n-grams that repeat an earlier one
 * @param repeatedNgramMinWords texts with fewer words are not judged for repetition
 * @param blocklist terms (matched on normalized words) that make a record unusable
 */
public record FilterConfig(
    int minPromptChars,
    int maxPromptChars,
    int minAnswerChars,
    int maxAnswerChars,
    double maxSymbolRatio,
    int symbolRatioMinChars,
    int repeatedNgramWords,
    double maxRepeatedNgramRatio,
    int repeatedNgramMinWords,
    List<String> blocklist) {

  public FilterConfig {
    requireAtLeast("minPromptChars", minPromptChars, 1);
    requireAtLeast("maxPromptChars", maxPromptChars, minPromptChars);
    requireAtLeast("minAnswerChars", minAnswerChars, 1);
    requireAtLeast("maxAnswerChars", maxAnswerChars, minAnswerChars);
    requireRatio("maxSymbolRatio", maxSymbolRatio);
    requireAtLeast("symbolRatioMinChars", symbolRatioMinChars, 1);
    requireAtLeast("repeatedNgramWords", repeatedNgramWords, 1);
    requireRatio("maxRepeatedNgramRatio", maxRepeatedNgramRatio);
    requireAtLeast("repeatedNgramMinWords", repeatedNgramMinWords, repeatedNgramWords);
    blocklist = List.copyOf(blocklist);
  }

  /** The documented defaults. */
  public static FilterConfig defaults() {
    return new FilterConfig(2, 32_000, 2, 16_000, 0.65, 12, 3, 0.3, 8, List.of());
  }

  private static void requireAtLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be >= " + minimum + " but was " + value);
    }
  }

  private static void requireRatio(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be within [0, 1] but was " + value);
    }
  }
}
