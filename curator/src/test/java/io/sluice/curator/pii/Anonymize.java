package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared assertions of the per-type tests: one value replaced exactly, or nothing replaced. */
final class Anonymize {

  static final PiiAnonymizer DEFAULT = new PiiAnonymizer(PiiConfig.defaults());

  private Anonymize() {}

  /**
   * {@code value}, placed in {@code sentence} at "{}", becomes the first placeholder of {@code
   * type}.
   */
  static void assertReplaced(String sentence, String value, PiiType type) {
    String text = sentence.replace("{}", value);
    AnonymizedText result = DEFAULT.anonymize(text);
    assertThat(result.text())
        .as("anonymized %s", text)
        .isEqualTo(sentence.replace("{}", type.placeholder(1)));
    assertThat(result.counts()).containsEntry(type, 1);
  }

  /** {@code text} holds no PII: it comes back unchanged and nothing is counted. */
  static void assertUnchanged(String text) {
    AnonymizedText result = DEFAULT.anonymize(text);
    assertThat(result.text()).as("anonymized %s", text).isEqualTo(text);
    assertThat(result.counts()).isEmpty();
  }
}
