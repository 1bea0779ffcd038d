package io.sluice.curator.pii;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsnDetectionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "123-45-6789",
        "219-09-9999",
        "078-05-1120",
        "457-55-5462",
        "536-90-4399",
        "001-01-0001",
        "665-99-9999",
        "667-12-3456",
        "899-99-9999",
        "123 45 6789",
      })
  void shouldReplaceValidSsn(String ssn) {
    Anonymize.assertReplaced("The W-9 shows {} as my number.", ssn, PiiType.SSN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"SSN 123456789 on file", "my ssn: 219099999", "Social security number 457555462."})
  void shouldReplaceUnseparatedSsnOnlyAfterCue(String text) {
    String ssn = text.replaceAll("\\D", "");
    Anonymize.assertReplaced(text.replace(ssn, "{}"), ssn, PiiType.SSN);
    Anonymize.assertUnchanged("order " + ssn + " shipped");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "000-45-6789 has area 000",
        "666-45-6789 has area 666",
        "912-34-5678 has a 9xx area",
        "123-00-6789 has group 00",
        "123-45-0000 has serial 0000",
        "Part number 123-45-67890 is longer",
        "Case 1234-56-7890 has four digits first",
        "Mixed 123-45 6789 separators",
        "Date 2024-03-15 and time 12:34:56",
        "Ref 123-45-6789-01 continues",
        "Code AB123-45-6789 is a SKU",
        "Part 123-45-6789 is back-ordered",
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
        "Ticket numbers: 123-45-6789, {}",
        "order for {}"
      })
  void shouldReplaceValueThatNoIdentifierNames(String sentence) {
    Anonymize.assertReplaced(sentence, "219-09-9999", PiiType.SSN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Order no. 219-09-9999 shipped",
        "Ticket #: 219-09-9999 is closed",
        "case number 219-09-9999"
      })
  void shouldKeepValueAnIdentifierNames(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SSN#{} on file", "ssn #{}", "Social Security #{}"})
  void shouldReplaceValueAfterHashWrittenAfterPiiWord(String sentence) {
    Anonymize.assertReplaced(sentence, "536-22-1234", PiiType.SSN);
    Anonymize.assertReplaced(sentence.replace("SSN", "Phone"), "415-555-0132", PiiType.PHONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Order#536-22-1234", "see #536-22-1234", "Ticket #536-22-1234"})
  void shouldKeepValueAfterHashOfAnId(String text) {
    Anonymize.assertUnchanged(text);
  }
}
