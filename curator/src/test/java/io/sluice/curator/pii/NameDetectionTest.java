package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameDetectionTest {

  static Stream<Arguments> cuedNames() {
    return Stream.of(
        Arguments.of(
            "Hi, my name is Jane Doe and I can't log in.",
            "Hi, my name is <NAME_1> and I can't log in."),
        Arguments.of("This is Carlos from billing.", "This is <NAME_1> from billing."),
        Arguments.of("this is John's laptop?", "this is <NAME_1>'s laptop?"),
        Arguments.of(
            "Dear Mr. Smith,\nyour refund is on its way.",
            "Dear Mr. <NAME_1>,\nyour refund is on its way."),
        Arguments.of("Dear Ms. Johansson,", "Dear Ms. <NAME_1>,"),
        Arguments.of("Dear Maria,", "Dear <NAME_1>,"),
        Arguments.of("Thanks,\nMaria", "Thanks,\n<NAME_1>"),
        Arguments.of("Best regards, John Smith", "Best regards, <NAME_1>"),
        Arguments.of("Cheers, Ana", "Cheers, <NAME_1>"),
        Arguments.of(
            "Kind regards,\nJosé Fernández\nAcme Support", "Kind regards,\n<NAME_1>\nAcme Support"),
        Arguments.of(
            "Hi Sarah, thanks for the quick reply!", "Hi <NAME_1>, thanks for the quick reply!"),
        Arguments.of(
            "I'm Mohammed, the admin of this workspace.",
            "I'm <NAME_1>, the admin of this workspace."),
        Arguments.of("Regards,\nDr. Emily Chen", "Regards,\nDr. <NAME_1>"),
        Arguments.of(
            "Thanks a lot!\n\n-- \nMarco Rossi\nSenior Engineer",
            "Thanks a lot!\n\n-- \n<NAME_1>\nSenior Engineer"),
        Arguments.of("I spoke with Siobhan O'Brien yesterday.", "I spoke with <NAME_1> yesterday."),
        Arguments.of("Thanks - Mary-Jane", "Thanks - <NAME_1>"),
        Arguments.of("Good morning Sarah, any news?", "Good morning <NAME_1>, any news?"),
        Arguments.of(
            "{\"full_name\": \"Jane Doe\", \"plan\": \"Pro\"}",
            "{\"full_name\": \"<NAME_1>\", \"plan\": \"Pro\"}"),
        Arguments.of("name: Jane Doe\nplan: Pro", "name: <NAME_1>\nplan: Pro"),
        Arguments.of("customer=Ana Silva; tier=gold", "customer=<NAME_1>; tier=gold"));
  }

  @ParameterizedTest
  @MethodSource("cuedNames")
  void shouldReplaceNameAfterCue(String text, String expected) {
    AnonymizedText result = Anonymize.DEFAULT.anonymize(text);
    assertThat(result.text()).isEqualTo(expected);
    assertThat(result.counts()).containsEntry(PiiType.NAME, 1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "this is a bug in the sync",
        "This is Not what I ordered.",
        "This is Windows 11 on a new laptop.",
        "This is Outlook crashing again on Monday.",
        "Thanks, I will try that now.",
        "Thanks, Support Team",
        "Thanks,\nThe Acme Team",
        "Best way to reset it?",
        "Dear Customer, your order has shipped.",
        "Hi All, the outage is resolved.",
        "Hello World example fails to compile.",
        "I am Unable to log in since Friday.",
        "I'm Canadian and the tax form differs.",
        "Cheers, Mate",
        "Thanks, Much appreciated",
        "Thanksgiving orders ship late.",
        "my name is jane doe (lowercase is not read as a name)",
        "Best Buy sells it, thanks.",
        "I'm Fine, thanks for asking.",
        "name: Report.pdf was uploaded",
        "name: Kafka Cluster",
        "{\"name\": \"Production\", \"region\": \"eu\"}",
        "name: Orders",
      })
  void shouldKeepCapitalizedNonNames(String text) {
    Anonymize.assertUnchanged(text);
  }

  static Stream<Arguments> signatureLines() {
    return Stream.of(
        Arguments.of("Regards,\nLena Fischer | Acme GmbH", "Regards,\n<NAME_1> | Acme GmbH"),
        Arguments.of(
            "Best regards,\nTom Baker, Operations Manager",
            "Best regards,\n<NAME_1>, Operations Manager"),
        Arguments.of("Cheers,\nYuki Tanaka - IT desk", "Cheers,\n<NAME_1> - IT desk"),
        Arguments.of("--\nAlex Kim | Support Lead", "--\n<NAME_1> | Support Lead"));
  }

  @ParameterizedTest
  @MethodSource("signatureLines")
  void shouldReplaceNameFollowedByItsSignatureDetails(String text, String expected) {
    assertThat(Anonymize.DEFAULT.anonymize(text).text()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Thanks,\nPlease, I need help",
        "Thanks,\nAlso, I forgot the order id",
        "Thanks, Maria | admin",
        "Best regards,\nThe Acme Team | Support",
      })
  void shouldReadSignatureDetailsOnlyAfterANameOnItsOwnLine(String text) {
    Anonymize.assertUnchanged(text);
  }

  static Stream<Arguments> headerAndSignedNames() {
    return Stream.of(
        Arguments.of("From: Jane Doe <jane@example.com>", "From: <NAME_1> <<EMAIL_1>>"),
        Arguments.of("Reply-To: Tom Baker <tom@example.org>", "Reply-To: <NAME_1> <<EMAIL_1>>"),
        Arguments.of("Signed: Kofi Mensah", "Signed: <NAME_1>"),
        Arguments.of("signature: Lena Fischer", "signature: <NAME_1>"));
  }

  @ParameterizedTest
  @MethodSource("headerAndSignedNames")
  void shouldReplaceMailboxAndSignedNames(String text, String expected) {
    assertThat(Anonymize.DEFAULT.anonymize(text).text()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"To: Production", "From: Berlin to Paris", "Cc: Jane Doe <not an address>"})
  void shouldReadMailHeaderNameOnlyBeforeAnAddress(String text) {
    Anonymize.assertUnchanged(text);
  }

  static Stream<Arguments> namesBeforeAddresses() {
    return Stream.of(
        Arguments.of("Jane Doe <jane@example.com> wrote:", "<NAME_1> <<EMAIL_1>> wrote:"),
        Arguments.of(
            "On Mon, Mar 4, 2024 at 10:00 AM Jean-Luc Picard <jlp@example.com> wrote:",
            "On Mon, Mar 4, 2024 at 10:00 AM <NAME_1> <<EMAIL_1>> wrote:"),
        Arguments.of(
            "cc Ana Silva <ana@example.com>, Bo Li <bo@example.com>",
            "cc <NAME_1> <<EMAIL_1>>, <NAME_2> <<EMAIL_2>>"));
  }

  @ParameterizedTest
  @MethodSource("namesBeforeAddresses")
  void shouldReplaceNameWrittenBeforeItsAddress(String text, String expected) {
    assertThat(Anonymize.DEFAULT.anonymize(text).text()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"if Count < Limit then stop", "List<String> Names <T>", "Jane Doe <b>"})
  void shouldReadNameBeforeAngleBracketOnlyBeforeAnAddress(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Contact person: {}", "Contact: {}", "person: {}"})
  void shouldReplaceNameAfterContactKeys(String sentence) {
    Anonymize.assertReplaced(sentence, "Jane Doe", PiiType.NAME);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Contact: Acme Corp",
        "This is Initech LLC calling about the invoice.",
        "Regards,\nGlobex GmbH",
        "Contact: Support",
      })
  void shouldKeepCompanyNamedByItsLegalForm(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Thanks so much,\n{}",
        "Thanks a lot!\n\n{}",
        "Thanks in advance, {}",
        "Kindest regards,\n{}",
        "Thank you so much,\n{}\nAcme Support",
      })
  void shouldReplaceNameAfterLongerSignOff(String sentence) {
    Anonymize.assertReplaced(sentence, "Marta Ruiz", PiiType.NAME);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Thanks a lot, I will try that.",
        "Thanks so much for the help!",
        "Thank you so much, Support Team"
      })
  void shouldKeepProseAfterLongerSignOff(String text) {
    Anonymize.assertUnchanged(text);
  }
}
