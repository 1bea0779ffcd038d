package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierCueTest {

  private static final WordSet CUES = new WordSet(List.of("order", "ticket", "ref", "imei"));

  private static final WordSet PII_CUES = new WordSet(List.of("card"));

  /** The value is what follows the marker {@code |}. */
  private static boolean names(String marked) {
    int at = marked.indexOf('|');
    return IdentifierCue.namesValue(marked.replace("|", ""), at, CUES);
  }

  private static boolean inClause(String marked) {
    int at = marked.indexOf('|');
    return IdentifierCue.inClause(marked.replace("|", ""), at, 3, CUES, PII_CUES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "order |4111", "Order #|4111", "order number |4111", "order no. |4111", "Order No.: |4111",
        "ticket: |4111", "ticket nr |4111", "order ID |4111", "order ID number: |4111",
            "Ref. |4111",
        "see order # |4111", "IMEI |4111"
      })
  void shouldNameValueDirectlyAfterCueAndLabels(String text) {
    assertThat(names(text)).as(text).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "order 12. |4111",
        "order.|4111",
        "order. |4111",
        "order!|4111",
        "Order:\n|4111",
        "order\r\n|4111",
        "order 1234, |4111",
        "order 1234 |4111",
        "order for |4111",
        "the order is |4111",
        "card number |4111",
        "number |4111",
        "|4111",
        "reorder |4111",
        "x2order |4111",
        "orders are |4111"
      })
  void shouldNotNameValueAcrossPunctuationLineBreaksNumbersOrOtherWords(String text) {
    assertThat(names(text)).as(text).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"order for |4111", "IMEI of phone |4111", "order no. of |4111"})
  void shouldFindCueInSameClause(String text) {
    assertThat(inClause(text)).as(text).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "order 12 for |4111",
        "order. Use |4111",
        "order!\nUse |4111",
        "order; use |4111",
        "order\nUse |4111",
        "order with card |4111",
        "order? |4111",
        "we like the |4111"
      })
  void shouldNotFindCueBeyondClauseOrBehindPiiCue(String text) {
    assertThat(inClause(text)).as(text).isFalse();
  }
}
