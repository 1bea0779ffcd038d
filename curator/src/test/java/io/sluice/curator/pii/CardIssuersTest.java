package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CardIssuersTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111111111111111", "4222222222222", "5555555555554444", "2223003122003222",
            "378282246310005",
        "341111111111111", "6011111111111117", "30569309025904", "3530111333300000",
            "6200000000000000000",
        "6221260000000000", "2200000000000004", "5018000000000009"
      })
  void shouldKnowIssuerPrefixAndLength(String digits) {
    assertThat(CardIssuers.isKnownIssuer(digits)).as(digits).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "490154203237518", // a 15-digit IMEI starting 49: Visa numbers have 13, 16 or 19 digits
        "353011133330000", // 15 digits in JCB's range, which issues 16 to 19
        "37828224631000", // Amex prefix with 14 digits
        "5555555555554", // Mastercard prefix with 13 digits
        "7992739871300000",
        "1234567890123456"
      })
  void shouldRejectUnknownPrefixOrLength(String digits) {
    assertThat(CardIssuers.isKnownIssuer(digits)).as(digits).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"16", "4,4,4,4", "4,6,5", "4,6,4", "4,4,4,4,3", "4,4,4,1"})
  void shouldAcceptPrintedCardGrouping(String groups) {
    int[] lengths = lengths(groups);
    assertThat(CardIssuers.isCardGrouping(lengths, lengths.length)).as(groups).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"3,3,4,6", "8,8", "4,4,8", "2,4,4,6", "4,6,6"})
  void shouldRejectOtherGrouping(String groups) {
    int[] lengths = lengths(groups);
    assertThat(CardIssuers.isCardGrouping(lengths, lengths.length)).as(groups).isFalse();
  }

  private static int[] lengths(String groups) {
    String[] parts = groups.split(",");
    int[] lengths = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      lengths[i] = Integer.parseInt(parts[i]);
    }
    return lengths;
  }
}
