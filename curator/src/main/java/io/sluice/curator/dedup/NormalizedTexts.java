package io.sluice.curator.dedup;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The normalized form ({@link ContentNormalizer}) of each text of one record, computed once: the
 * quality filter and the deduplicator both need it for every text, and normalizing (NFKC, case,
 * punctuation) twice was a tenth of the curator's CPU time. Texts are looked up by identity, as
 * both stages see the same anonymized strings. One instance per record, used by one thread.
 */
public final class NormalizedTexts {

  private final Map<String, String> normalized = new IdentityHashMap<>(8);

  /** {@link ContentNormalizer#normalize} of {@code text}, remembered for this record. */
  public String of(String text) {
    String known = normalized.get(text);
    if (known == null) {
      known = ContentNormalizer.normalize(text);
      normalized.put(text, known);
    }
    return known;
  }
}
