package io.sluice.curator.pii;

import java.util.Map;

/**
 * A text with its PII replaced by placeholders.
 *
 * @param text the anonymized text
 * @param counts distinct values replaced, by type; types with none are absent
 */
public record AnonymizedText(String text, Map<PiiType, Integer> counts) {

  public AnonymizedText {
    counts = Map.copyOf(counts);
  }
}
