package io.sluice.curator.pii;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbanDetectionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "GB33BUKB20201555555555",
        "FR14 2004 1010 0505 0001 3M02 606",
        "FR7630006000011234567890189",
        "NL91 ABNA 0417 1643 00",
        "ES9121000418450200051332",
        "BE68 5390 0754 7034",
        "CH93 0076 2011 6238 5295 7",
        "ch93 0076 2011 6238 5295 7",
        "IT60 X054 2811 1010 0000 0123 456",
        "NO93 8601 1117 947",
      })
  void shouldReplaceValidIban(String iban) {
    Anonymize.assertReplaced("Please wire the refund to {} this week.", iban, PiiType.IBAN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Reference DE12 3456 7890 1234 5678 90 fails mod-97",
        "Order GB12ABCD12345612345678 shipped",
        "DE89 3704 0044 0532 0130 is too short",
        "XX89370400440532013000 is not a country",
        "Model DE89 and part 3704 are unrelated",
        "SKU FR14-2004 in stock",
        "Flight LH 2004 departs at 10:45",
        "Form W2 and 1099 are ready",
        "CA12 3456 7890 is not an IBAN country",
        "Postcode SW1A 1AA",
      })
  void shouldKeepLookalikes(String text) {
    Anonymize.assertUnchanged(text);
  }
}
