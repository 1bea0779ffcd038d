package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiAnonymizerTest {

  private final PiiAnonymizer anonymizer = new PiiAnonymizer(PiiConfig.defaults());

  @Test
  void shouldGiveTheSameValueTheSamePlaceholderInEveryFieldOfARecord() {
    PiiAnonymizer.Session session = anonymizer.newSession();

    String prompt =
        session.anonymize(
            "I'm locked out, my email is Jane.Doe@Example.com and phone (555) 123-4567.");
    String completion =
        session.anonymize(
            "We sent a reset link to jane.doe@example.com; we may call +1 555 123 4567.");

    assertThat(prompt).isEqualTo("I'm locked out, my email is <EMAIL_1> and phone <PHONE_1>.");
    assertThat(completion).isEqualTo("We sent a reset link to <EMAIL_1>; we may call <PHONE_1>.");
    assertThat(session.counts()).isEqualTo(Map.of(PiiType.EMAIL, 1, PiiType.PHONE, 1));
  }

  @Test
  void shouldNumberEachTypeInOrderOfFirstAppearance() {
    PiiAnonymizer.Session session = anonymizer.newSession();

    String first = session.anonymize("a@x.com, 10.0.0.1, b@x.com");
    String second = session.anonymize("c@x.com then a@x.com and 10.0.0.2");

    assertThat(first).isEqualTo("<EMAIL_1>, <IP_1>, <EMAIL_2>");
    assertThat(second).isEqualTo("<EMAIL_3> then <EMAIL_1> and <IP_2>");
    assertThat(session.counts()).isEqualTo(Map.of(PiiType.EMAIL, 3, PiiType.IP, 2));
  }

  @Test
  void shouldStartNumberingAfreshInEachSession() {
    assertThat(anonymizer.newSession().anonymize("a@x.com")).isEqualTo("<EMAIL_1>");
    assertThat(anonymizer.newSession().anonymize("b@x.com")).isEqualTo("<EMAIL_1>");
  }

  @Test
  void shouldReturnTextWithoutPiiUnchangedAndCountNothing() {
    String text =
        "The export fails on v2.14.3 since 2024-03-15, order ORD-2024-883112, total $1,299.00.";

    AnonymizedText result = anonymizer.anonymize(text);

    assertThat(result.text()).isSameAs(text);
    assertThat(result.counts()).isEmpty();
  }

  @Test
  void shouldKeepExistingPlaceholdersWithoutCountingThem() {
    String curated =
        anonymizer
            .anonymize("Mail jane@x.com or call 555-123-4567, card 4111 1111 1111 1111.")
            .text();

    AnonymizedText again = anonymizer.anonymize(curated);

    assertThat(curated).isEqualTo("Mail <EMAIL_1> or call <PHONE_1>, card <CARD_1>.");
    assertThat(again.text()).isEqualTo(curated);
    assertThat(again.counts()).isEmpty();
  }

  @Test
  void shouldNotGiveADetectedValueTheNumberOfAPlaceholderInTheSameText() {
    AnonymizedText result = anonymizer.anonymize("Earlier <EMAIL_1> wrote; now bob@x.com writes.");

    assertThat(result.text()).isEqualTo("Earlier <EMAIL_1> wrote; now <EMAIL_2> writes.");
    assertThat(result.counts()).isEqualTo(Map.of(PiiType.EMAIL, 1));
  }

  @Test
  void shouldRenumberALiteralPlaceholderWhoseNumberAnEarlierFieldGaveToARealValue() {
    PiiAnonymizer.Session session = anonymizer.newSession();

    String prompt = session.anonymize("Contact bob@x.com please.");
    String completion =
        session.anonymize("The template says <EMAIL_1> and <EMAIL_1>; bob@x.com is real.");
    String comment = session.anonymize("again <EMAIL_1>");

    assertThat(prompt).isEqualTo("Contact <EMAIL_1> please.");
    assertThat(completion)
        .isEqualTo("The template says <EMAIL_2> and <EMAIL_2>; <EMAIL_1> is real.");
    assertThat(comment).isEqualTo("again <EMAIL_2>");
    assertThat(session.counts()).isEqualTo(Map.of(PiiType.EMAIL, 1));
  }

  @Test
  void shouldReadOnlyKnownTypesAsPlaceholders() {
    AnonymizedText result =
        anonymizer.anonymize("<FOO_1> and <EMAIL_0> and <email_1> stay; <PHONE_12> too");

    assertThat(result.text()).isEqualTo("<FOO_1> and <EMAIL_0> and <email_1> stay; <PHONE_12> too");
  }

  @Test
  void shouldReplaceLaterBareMentionsOfANameFoundAfterACue() {
    PiiAnonymizer.Session session = anonymizer.newSession();

    String prompt = session.anonymize("Hi, my name is Maria Lopez. Maria here again.");
    String completion = session.anonymize("Thanks Maria! Lopez is on file.");

    assertThat(prompt).isEqualTo("Hi, my name is <NAME_1>. <NAME_1> here again.");
    assertThat(completion).isEqualTo("Thanks <NAME_1>! <NAME_1> is on file.");
    assertThat(session.counts()).isEqualTo(Map.of(PiiType.NAME, 1));
  }

  @Test
  void shouldLeaveDisabledTypesUntouched() {
    PiiAnonymizer emailOnly =
        new PiiAnonymizer(PiiConfig.defaults().withTypes(EnumSet.of(PiiType.EMAIL)));

    AnonymizedText result =
        emailOnly.anonymize("jane@x.com, 555-123-4567, 10.0.0.1, my name is Jane Doe");

    assertThat(result.text()).isEqualTo("<EMAIL_1>, 555-123-4567, 10.0.0.1, my name is Jane Doe");
    assertThat(result.counts()).isEqualTo(Map.of(PiiType.EMAIL, 1));
  }

  @Test
  void shouldChangeNothingWithEveryTypeOff() {
    PiiAnonymizer none = new PiiAnonymizer(PiiConfig.defaults().withTypes(Set.of()));
    String text = "jane@x.com, 555-123-4567, password=hunter22, my name is Jane Doe";

    AnonymizedText result = none.anonymize(text);

    assertThat(result.text()).isEqualTo(text);
    assertThat(result.counts()).isEmpty();
  }

  @Test
  void shouldPreferTheSecretWhenASecretValueLooksLikeAnotherType() {
    AnonymizedText result = anonymizer.anonymize("password=4111111111111111 token: jane@x.com");

    assertThat(result.text()).isEqualTo("password=<SECRET_1> token: <SECRET_2>");
  }

  @Test
  void shouldRejectNullText() {
    assertThatThrownBy(() -> anonymizer.anonymize(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
    assertThatThrownBy(() -> new PiiAnonymizer(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("config");
  }

  @Test
  void shouldGiveTheSameResultsWhenSharedAcrossThreads() {
    List<String> texts =
        IntStream.range(0, 2_000)
            .mapToObj(
                i ->
                    "user"
                        + i
                        + "@x.com called 555-123-"
                        + String.format("%04d", i)
                        + " from 10.0.0."
                        + (i % 250))
            .toList();
    List<String> sequential = texts.stream().map(t -> anonymizer.anonymize(t).text()).toList();

    List<String> parallel =
        texts.parallelStream().map(t -> anonymizer.anonymize(t).text()).toList();

    assertThat(parallel).isEqualTo(sequential);
    assertThat(sequential).allMatch(t -> t.equals("<EMAIL_1> called <PHONE_1> from <IP_1>"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/pii/corpus.jsonl", "/pii/hard.jsonl"})
  void shouldLeaveItsOwnOutputUnchangedOnEveryCorpusLine(String corpus) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (InputStream in = getClass().getResourceAsStream(corpus)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String once = anonymizer.anonymize(json.readTree(line).get("text").asText()).text();
        AnonymizedText twice = anonymizer.anonymize(once);
        assertThat(twice.text()).isEqualTo(once);
        assertThat(twice.counts()).as("re-counted %s", once).isEmpty();
      }
    }
  }

  @Test
  void shouldNeverFailAndBeStableOnArbitraryText() {
    // Dense random mixes of the characters every detector keys on: a detector that reads past the
    // end of the text or re-detects inside its own placeholders fails here.
    String alphabet = "0123456789 .-+()@:=<>_/'\"\nabcdefxyzABEFKIMST#$%&,;!?[]{}~ghpsk";
    Random random = new Random(42);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(60);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String once = anonymizer.anonymize(text.toString()).text();
      AnonymizedText twice = anonymizer.anonymize(once);
      assertThat(twice.text()).as("re-anonymized %s", text).isEqualTo(once);
      assertThat(twice.counts()).as("re-counted %s", text).isEmpty();
    }
  }
}
