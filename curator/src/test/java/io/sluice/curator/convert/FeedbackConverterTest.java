package io.sluice.curator.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.curator.Events;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.Origin;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FeedbackConverterTest {

  private final FeedbackConverter converter = new FeedbackConverter();

  @Test
  void shouldPassExamplesThroughUnderTheirOwnId() {
    Conversion conversion =
        converter.convert(Events.example("e1", "How do I reset?", "Click Forgot password."));

    assertThat(conversion.candidates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("e1");
              assertThat(c.kind()).isEqualTo(ExampleKind.SFT);
              assertThat(c.origin()).isEqualTo(Origin.EXAMPLE);
              assertThat(c.completion()).isEqualTo("Click Forgot password.");
            });
  }

  @Test
  void shouldPassPreferencesThrough() {
    Conversion conversion =
        converter.convert(Events.preference("p1", "Hi?", "Hello! How can I help?", "What."));

    assertThat(conversion.candidates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("p1");
              assertThat(c.kind()).isEqualTo(ExampleKind.PREFERENCE);
              assertThat(c.chosen()).isEqualTo("Hello! How can I help?");
              assertThat(c.rejected()).isEqualTo("What.");
            });
  }

  static Stream<Arguments> positiveRatings() {
    return Stream.of(Arguments.of("up"), Arguments.of(4), Arguments.of(5));
  }

  @ParameterizedTest
  @MethodSource("positiveRatings")
  void shouldTurnPositiveFeedbackIntoAnSftExampleAndADesirableVote(Object rating) {
    Conversion conversion =
        converter.convert(Events.feedback("f1", "Reset?", "Use the link.", rating, null));

    assertThat(conversion.candidates()).hasSize(2);
    Candidate sft = conversion.candidates().get(0);
    assertThat(sft.id()).isEqualTo("f1#sft");
    assertThat(sft.sourceId()).isEqualTo("f1");
    assertThat(sft.origin()).isEqualTo(Origin.FEEDBACK_POSITIVE);
    assertThat(sft.completion()).isEqualTo("Use the link.");
    assertThat(sft.label()).isNull();
    Candidate vote = conversion.candidates().get(1);
    assertThat(vote.id()).isEqualTo("f1#binary");
    assertThat(vote.sourceId()).isEqualTo("f1");
    assertThat(vote.kind()).isEqualTo(ExampleKind.BINARY_FEEDBACK);
    assertThat(vote.origin()).isEqualTo(Origin.FEEDBACK_VOTE);
    assertThat(vote.completion()).isEqualTo("Use the link.");
    assertThat(vote.label()).isEqualTo(FeedbackLabel.DESIRABLE);
    assertThat(vote.answers()).containsExactly("Use the link.");
  }

  static Stream<Arguments> anyRating() {
    return Stream.of(
        Arguments.of("up"),
        Arguments.of("down"),
        Arguments.of(1),
        Arguments.of(3),
        Arguments.of(5));
  }

  @ParameterizedTest
  @MethodSource("anyRating")
  void shouldTurnACorrectionIntoAnSftExampleAndAPreferencePair(Object rating) {
    Conversion conversion =
        converter.convert(
            Events.feedback("f2", "Reset?", "No idea.", rating, "Use the reset link."));

    assertThat(conversion.candidates()).hasSize(2);
    Candidate sft = conversion.candidates().get(0);
    Candidate pair = conversion.candidates().get(1);
    assertThat(sft.id()).isEqualTo("f2#sft");
    assertThat(sft.completion()).isEqualTo("Use the reset link.");
    assertThat(sft.origin()).isEqualTo(Origin.FEEDBACK_CORRECTION);
    assertThat(pair.id()).isEqualTo("f2#preference");
    assertThat(pair.kind()).isEqualTo(ExampleKind.PREFERENCE);
    assertThat(pair.chosen()).isEqualTo("Use the reset link.");
    assertThat(pair.rejected()).isEqualTo("No idea.");
  }

  static Stream<Arguments> negativeRatings() {
    return Stream.of(Arguments.of("down"), Arguments.of(1), Arguments.of(2));
  }

  @ParameterizedTest
  @MethodSource("negativeRatings")
  void shouldTurnNegativeFeedbackWithoutCorrectionIntoAnUndesirableVoteOnly(Object rating) {
    Conversion conversion =
        converter.convert(Events.feedback("f3", "Reset?", "No idea.", rating, null));

    assertThat(conversion.candidates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("f3#binary");
              assertThat(c.kind()).isEqualTo(ExampleKind.BINARY_FEEDBACK);
              assertThat(c.completion()).isEqualTo("No idea.");
              assertThat(c.label()).isEqualTo(FeedbackLabel.UNDESIRABLE);
            });
  }

  @Test
  void shouldRefuseAVoteWithoutALabelAndALabelOnAnotherKind() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Candidate(
                    "x",
                    "x",
                    "t",
                    "k",
                    ExampleKind.BINARY_FEEDBACK,
                    Origin.FEEDBACK_VOTE,
                    "p",
                    "r",
                    null,
                    null,
                    null))
        .hasMessageContaining("needs a label");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Candidate(
                    "x",
                    "x",
                    "t",
                    "k",
                    ExampleKind.SFT,
                    Origin.EXAMPLE,
                    "p",
                    "r",
                    null,
                    null,
                    FeedbackLabel.DESIRABLE))
        .hasMessageContaining("cannot have a label");
  }

  @Test
  void shouldTreatAMiddleRatingAsNeutral() {
    Conversion conversion = converter.convert(Events.feedback("f4", "Reset?", "Maybe.", 3, null));

    assertThat(conversion.reason()).isEqualTo(RejectionReason.NEUTRAL_FEEDBACK);
  }

  @Test
  void shouldIgnoreABlankCorrection() {
    Conversion conversion =
        converter.convert(Events.feedback("f5", "Reset?", "Use the link.", "up", "   "));

    assertThat(conversion.candidates())
        .extracting(Candidate::id)
        .containsExactly("f5#sft", "f5#binary");
  }
}
