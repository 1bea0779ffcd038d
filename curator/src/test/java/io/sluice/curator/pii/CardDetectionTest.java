package io.sluice.curator.pii;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CardDetectionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5555 5555 5555 4444",
        "2223003122003222",
        "3782 822463 10005",
        "378282246310005",
        "6011 1111 1111 1117",
        "3056 9309 0259 04",
        "3530111333300000",
        "4222222222222",
        "6200 0000 0000 0000 000",
      })
  void shouldReplaceLuhnValidCardNumber(String card) {
    Anonymize.assertReplaced("I was charged twice on card {} yesterday.", card, PiiType.CARD);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Transaction id 4111111111111112 failed",
        "Invoice number 1234567890123456 is missing",
        "Shipment 9405511899223197428490 is delayed",
        "Account id 7992739871300000 is Luhn-valid but no card issuer starts with 7",
        "card ending in 4242",
        "4111 1111 1111 111 is one digit short",
        "ref 4111-1111 1111-1111 mixes separators",
        "order ORD-4111111111111111 shipped",
        "total $4111111111111111.00",
        "sha 4111111111111111abc",
        "4111.1111.1111.1111 uses dots",
        "IMEI 490154203237518 of my phone",
        "Barcode 5901234123457 scanned twice",
        "order 4111111111111111 shipped",
      })
  void shouldKeepLookalikes(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SKU 88213 is back in stock. Use {} for the renewal.",
        "I opened a ticket. Use {} for the renewal.",
        "Order 1182 and {} were both on the receipt.",
        "order 4471, {} is mine",
        "Order:\n{}",
        "Order numbers: 4012888888881881, {}",
        "IMEI 490154203237518 then {}",
        "Ticket for {} please",
      })
  void shouldReplaceValidatedCardThatNoIdentifierNames(String sentence) {
    Anonymize.assertReplaced(sentence, "4111 1111 1111 1111", PiiType.CARD);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Order no. 4111 1111 1111 1111 shipped", "Ticket #: 4111111111111111 is closed",
        "Order numbers: 4111111111111111, 5-6", "IMEI for it: 490154203237518"
      })
  void shouldKeepNumberAnIdentifierNames(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DE89 3704 0044 0532 0130 01 is what the form says",
        "iban de89 3704 0044 0532 0130 01 failed",
      })
  void shouldKeepAccountDigitsOfIbanThatFailsItsCheck(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ref XY12 {} please", "code AB12 {}"})
  void shouldReplaceCardAfterCodeThatIsNoIbanCountry(String sentence) {
    Anonymize.assertReplaced(sentence, "4111 1111 1111 1111", PiiType.CARD);
  }
}
