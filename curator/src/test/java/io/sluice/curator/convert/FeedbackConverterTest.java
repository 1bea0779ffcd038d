package io.sluice.curator.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.curator.Events;
import io.sluice.schemas.avro.ExampleKind;
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
    Conversion conversion = converter.convert(Events.example("e1", "How do I reset?", "Click Forgot password."));

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
    Conversion conversion = converter.convert(Events.preference("p1", "Hi?", "Hello! How can I help?", "What."));

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
  void shouldTurnPositiveFeedbackIntoAnSftExampleOfTheResponse(Object rating) {
    Conversion conversion = converter.convert(Events.feedback("f1", "Reset?", "Use the link.", rating, null));

    assertThat(conversion.candidates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("f1#sft");
              assertThat(c.sourceId()).isEqualTo("f1");
              assertThat(c.origin()).isEqualTo(Origin.FEEDBACK_POSITIVE);
              assertThat(c.completion()).isEqualTo("Use the link.");
            });
  }

  static Stream<Arguments> anyRating() {
    return Stream.of(Arguments.of("up"), Arguments.of("down"), Arguments.of(1), Arguments.of(3), Arguments.of(5));
  }

  @ParameterizedTest
  @MethodSource("anyRating")
  void shouldTurnACorrectionIntoAnSftExampleAndAPreferencePair(Object rating) {
    Conversion conversion =
        converter.convert(Events.feedback("f2", "Reset?", "No idea.", rating, "Use the reset link."));

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
  void shouldKeepNegativeFeedbackWithoutCorrectionOutOfTrainingData(Object rating) {
    Conversion conversion = converter.convert(Events.feedback("f3", "Reset?", "No idea.", rating, null));

    assertThat(conversion.isTrainingData()).isFalse();
    assertThat(conversion.reason()).isEqualTo(Conversion.NEGATIVE_FEEDBACK);
  }

  @Test
  void shouldTreatAMiddleRatingAsNeutral() {
    Conversion conversion = converter.convert(Events.feedback("f4", "Reset?", "Maybe.", 3, null));

    assertThat(conversion.reason()).isEqualTo(Conversion.NEUTRAL_FEEDBACK);
  }

  @Test
  void shouldIgnoreABlankCorrection() {
    Conversion conversion = converter.convert(Events.feedback("f5", "Reset?", "Use the link.", "up", "   "));

    assertThat(conversion.candidates()).singleElement().extracting(Candidate::id).isEqualTo("f5#sft");
  }
}
