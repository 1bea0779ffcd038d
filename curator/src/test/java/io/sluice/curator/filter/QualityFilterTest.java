package io.sluice.curator.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.curator.convert.Candidate;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QualityFilterTest {

  private final QualityFilter filter = new QualityFilter(FilterConfig.defaults());

  private static Candidate sft(Object prompt, String completion) {
    return new Candidate(
        "id",
        "id",
        "acme",
        "support",
        ExampleKind.SFT,
        Origin.EXAMPLE,
        prompt,
        completion,
        null,
        null);
  }

  private static Candidate pair(String chosen, String rejected) {
    return new Candidate(
        "id",
        "id",
        "acme",
        "support",
        ExampleKind.PREFERENCE,
        Origin.PREFERENCE,
        "How do I reset it?",
        null,
        chosen,
        rejected);
  }

  private Optional<String> reason(Candidate candidate) {
    return filter.check(candidate).map(verdict -> verdict.reason().name());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Yes, restart it.",
        "OK",
        "v2.1.3",
        "Set `timeout_ms = 500;` in config.yaml and restart the worker.",
        "for (int i = 0; i < n; i++) { total += a[i]; }",
        "Please contact <EMAIL_1> or call <PHONE_1>.",
        "Der Zugang wurde zurückgesetzt. Bitte melden Sie sich erneut an."
      })
  void shouldKeepShortButRealAnswers(String completion) {
    assertThat(reason(sft("How do I reset my router?", completion))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "How do I reset?|'   '|EMPTY_FIELD",
        "'  '|Restart it.|EMPTY_FIELD",
        "How do I reset?|k|TOO_SHORT",
        "?|Restart it.|TOO_SHORT",
        "How do I reset?|!!!! ??? ### $$$ %%% ^^^ &&&|TOO_MANY_SYMBOLS",
        "How do I reset?|I can help. I can help. I can help. I can help. I can help.|REPEATED_NGRAMS",
      })
  void shouldRejectLowQualityExamplesWithTheirReason(
      String prompt, String completion, String expected) {
    assertThat(reason(sft(prompt, completion))).contains(expected);
  }

  @Test
  void shouldRejectTooLongAnswers() {
    assertThat(reason(sft("Summarize.", "word ".repeat(4_000)))).contains("TOO_LONG");
  }

  @Test
  void shouldNameTheEmptyChatTurn() {
    Candidate candidate =
        sft(
            List.of(ChatMessages.of(Role.system, "You help."), ChatMessages.of(Role.user, " ")),
            "Sure.");

    assertThat(filter.check(candidate))
        .get()
        .satisfies(
            verdict -> {
              assertThat(verdict.reason()).isEqualTo(RejectionReason.EMPTY_FIELD);
              assertThat(verdict.detail()).startsWith("prompt[1].content");
            });
  }

  @Test
  void shouldRejectPairsWhoseAnswersDifferOnlyCosmetically() {
    assertThat(reason(pair("Restart the router.", "restart  the Router!")))
        .contains("CHOSEN_EQUALS_REJECTED");
    assertThat(reason(pair("Restart the router.", "Unplug the modem."))).isEmpty();
  }

  @Test
  void shouldRejectBlocklistedTermsAsWholeWordsIgnoringCase() {
    FilterConfig config =
        new FilterConfig(2, 32_000, 2, 16_000, 0.65, 12, 3, 0.3, 8, List.of("lorem ipsum", "TODO"));
    QualityFilter strict = new QualityFilter(config);

    assertThat(
            strict
                .check(sft("Write a reply.", "Lorem  Ipsum dolor sit amet."))
                .map(FilterVerdict::reason))
        .contains(RejectionReason.BLOCKLISTED_TERM);
    assertThat(strict.check(sft("Write a reply.", "todo: fill in")).map(FilterVerdict::reason))
        .contains(RejectionReason.BLOCKLISTED_TERM);
    assertThat(strict.check(sft("Write a reply.", "Use todoist to track it."))).isEmpty();
  }

  @Test
  void shouldNotJudgeRepetitionInShortTexts() {
    assertThat(reason(sft("Status?", "No, no, no."))).isEmpty();
  }

  @Test
  void shouldRefuseInconsistentThresholds() {
    assertThatThrownBy(() -> new FilterConfig(10, 5, 2, 16_000, 0.65, 12, 3, 0.3, 8, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPromptChars");
  }
}
