package io.sluice.curator.dedup;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The canonical form under which two texts count as the same content: Unicode NFKC (so full-width
 * and compatibility characters fold to their plain forms), lower case, punctuation and symbols
 * dropped, and runs of whitespace collapsed to one space. Cosmetic edits (case, spacing,
 * punctuation) therefore never make a copy look new.
 */
public final class ContentNormalizer {

  /** Punctuation and symbols become word breaks, so "it's" and "its" differ but "a.b" is "a b". */
  private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]+");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ContentNormalizer() {}

  /** The normalized form of {@code text}; never null. */
  public static String normalize(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    String spaced = PUNCTUATION.matcher(folded).replaceAll(" ");
    return WHITESPACE.matcher(spaced).replaceAll(" ").trim();
  }
}
