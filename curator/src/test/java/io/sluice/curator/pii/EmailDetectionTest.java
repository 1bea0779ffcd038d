package io.sluice.curator.pii;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailDetectionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane@example.com",
        "John.Doe@Example.COM",
        "jane.doe+billing@mail.example.co.uk",
        "first_last@sub.domain.example.org",
        "o'connor@example.ie",
        "x-y.z@uni-bonn.de",
        "12345@gmail.com",
        "a@b.io",
        "support+ticket-4821@help.acme.io",
        "JANE.DOE@EXAMPLE.COM",
        "user%relay@example.net",
        "Name.Surname@startup.museum",
        "jörg.müller@beispiel.de",
        "info@müller-bau.de",
      })
  void shouldReplaceEmailAddress(String email) {
    Anonymize.assertReplaced("Please send the invoice to {} by Friday.", email, PiiType.EMAIL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Email me at {}.",
        "<{}> wrote: the export failed",
        "mailto:{}",
        "({}) is my login",
        "cc: {}, thanks",
      })
  void shouldReplaceEmailWhateverSurroundsIt(String sentence) {
    Anonymize.assertReplaced(sentence, "jane.doe@example.com", PiiType.EMAIL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Follow @acme_support on Twitter for updates.",
        "The @Override annotation and @param tags are fine.",
        "npm install @types/node@18.2.0 fails",
        "git clone git@github.com:acme/app.git gives permission denied",
        "ssh://git@github.com/acme/app.git is the remote",
        "user@localhost cannot send mail",
        "meet @ 14:30 in room 3",
        "price is 3 @ $4.99 each",
        "jane@example (no domain suffix) bounced",
        "a@b.c is not a real address",
        "weird..dots@example..com",
      })
  void shouldKeepLookalikes(String text) {
    Anonymize.assertUnchanged(text);
  }
}
