package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneDetectionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(555) 123-4567",
        "(555)123-4567",
        "555-123-4567",
        "555.123.4567",
        "555 123 4567",
        "+1 555 123 4567",
        "+1-202-555-0143",
        "+1 (800) 642-7676",
        "1-800-555-0199",
        "1 (800) 642-7676",
        "+15551234567",
        "+1.551.423.3767",
        "555\u2013123\u20134567",
      })
  void shouldReplaceNorthAmericanPhone(String phone) {
    Anonymize.assertReplaced("Call me back at {} after 5pm.", phone, PiiType.PHONE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+44 20 7946 0958",
        "+44 (0)20 7946 0958",
        "+44 7911 123456",
        "+49 30 123456",
        "+49 (0)89 1234 5678",
        "+33 1 23 45 67 89",
        "+91 98765 43210",
        "+81 3-1234-5678",
        "+61 2 9876 5432",
        "+55 11 98765-4321",
        "+7 495 123-45-67",
        "+971 50 123 4567",
        "+442079460958",
        "0044 20 7946 0958",
      })
  void shouldReplaceInternationalPhone(String phone) {
    Anonymize.assertReplaced("My number is {} if the app fails again.", phone, PiiType.PHONE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "020 7946 0958",
        "01 23 45 67 89",
        "030 1234567",
        "07700 900123",
        "0800 123 4567",
        "06-12345678",
      })
  void shouldReplaceDomesticNumberWithTrunkPrefix(String phone) {
    Anonymize.assertReplaced("Reach the office on {} please.", phone, PiiType.PHONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"phone 2025550143", "call me: 2025550143", "mobile 07946095800"})
  void shouldReplaceUnseparatedNumberOnlyAfterPhoneCue(String text) {
    String number = text.substring(text.lastIndexOf(' ') + 1);
    Anonymize.assertReplaced(text.replace(number, "{}"), number, PiiType.PHONE);
    Anonymize.assertUnchanged("order " + number + " shipped");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Order total was 1,234,567 units across 555 stores in 2023.",
        "Ticket #555-123-4567 is a duplicate",
        "ORD-2024-883112 shipped on 2024-03-15",
        "Dates 03/15/2024 and 15.03.2024 at 14:30",
        "ISBN 978-3-16-148410-0 and 0-306-40615-2",
        "tracking 9400 1000 0000 0000 3345 79",
        "see /orders/555-123-4567/items",
        "Scores were 98 76 54 32 10 in the last round",
        "Release 2023.10.1234 shipped; see build 20231015.1",
        "Coordinates 37.7749, -122.4194 are wrong",
        "It costs $1,299.00 or 19.99 - 24.99 a month",
        "unix time 1700000000 and id 5551234567 in the log",
        "C++17 and +30% more memory",
        "Order 123-456-7890 was never delivered",
        "order number 415-555-0132 shows as cancelled",
        "Hours 09:00-17:00, closed 12-25-2024",
        "ISO time 2024-03-15T14:30:00+01:00",
      })
  void shouldKeepLookalikes(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "See ticket 4471. My number is {}.",
        "Order 1182 and {} are mine",
        "Order:\n{}",
        "Ticket numbers: 212-555-0199, {}",
        "order for {}"
      })
  void shouldReplaceValueThatNoIdentifierNames(String sentence) {
    Anonymize.assertReplaced(sentence, "415-555-2671", PiiType.PHONE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Order no. 415-555-2671 shipped",
        "Ticket #: 415-555-2671 is closed",
        "case number 415-555-2671"
      })
  void shouldKeepValueAnIdentifierNames(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(415) 555-0132 ext. 204",
        "1-800-555-0199 x12",
        "1 (800) 555-0198 ext 12",
        "+44 20 7946 0958 extension 7",
        "555.123.4567 Ext: 31",
        "020 7946 0958, ext. 4410",
      })
  void shouldReplaceExtensionWithItsNumber(String phone) {
    Anonymize.assertReplaced("Call {} after 5pm.", phone, PiiType.PHONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Call 555-123-4567 x 12x", "Call 555-123-4567 ext 1234567"})
  void shouldLeaveNonExtensionAfterNumberAlone(String text) {
    AnonymizedText result = Anonymize.DEFAULT.anonymize(text);
    assertThat(result.text()).startsWith("Call <PHONE_1> ").doesNotContain("555");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Your parcel 1Z 999 AA1 01 2345 678 4 is in Memphis",
        "Reference 020 7946 0958 12 on the form",
        "Code 0 20 7946 0958 again",
      })
  void shouldKeepTrunkShapeInsideLongerCode(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0151 2345 6789", "0151-23456789", "0176 123 456 78"})
  void shouldReplaceTwelveDigitTrunkNumberOnlyAfterPhoneCue(String phone) {
    Anonymize.assertReplaced("Mobile: {} after six", phone, PiiType.PHONE);
    Anonymize.assertUnchanged("Account " + phone + " is closed");
  }
}
