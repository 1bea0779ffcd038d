package io.sluice.curator.convert;

import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.RawEvent;
import java.util.List;
import java.util.Locale;

/**
 * Stage 2: turns a validated raw event into training candidates. Examples and preferences pass
 * through. Feedback becomes training data only when it says something about quality:
 *
 * <ul>
 *   <li>a correction: an SFT example of the correction ({@code <id>#sft}) and a preference pair
 *       preferring it to the shown response ({@code <id>#preference}), whatever the rating;
 *   <li>an up-vote or rating of 4 or 5: an SFT example of the response ({@code <id>#sft}) and a
 *       BINARY_FEEDBACK record labelled DESIRABLE ({@code <id>#binary}), for KTO;
 *   <li>a down-vote or rating of 1 or 2: a BINARY_FEEDBACK record labelled UNDESIRABLE ({@code
 *       <id>#binary}), the only way a down-vote without a correction can teach;
 *   <li>a rating of 3, or none: no example ({@link RejectionReason#NEUTRAL_FEEDBACK}).
 * </ul>
 *
 * Suffixed ids are derived from the source id only, so a replay yields the same ids.
 */
public final class FeedbackConverter {

  public static final String SFT_SUFFIX = "#sft";
  public static final String PREFERENCE_SUFFIX = "#preference";
  public static final String BINARY_SUFFIX = "#binary";

  private static final int LOWEST_POSITIVE_RATING = 4;
  private static final int HIGHEST_NEGATIVE_RATING = 2;

  /** The candidates {@code event} yields, or the reason it yields none. */
  public Conversion convert(RawEvent event) {
    return switch (event.getType()) {
      case example -> Conversion.of(List.of(example(event)));
      case preference -> Conversion.of(List.of(preference(event)));
      case feedback -> feedback(event);
    };
  }

  private static Candidate example(RawEvent event) {
    return new Candidate(
        event.getId(),
        event.getId(),
        event.getTenant(),
        event.getTrack(),
        ExampleKind.SFT,
        Origin.EXAMPLE,
        event.getPrompt(),
        event.getCompletion(),
        null,
        null,
        event.getCompletionToolCalls(),
        event.getTools(),
        event.getParallelToolCalls());
  }

  private static Candidate preference(RawEvent event) {
    return new Candidate(
        event.getId(),
        event.getId(),
        event.getTenant(),
        event.getTrack(),
        ExampleKind.PREFERENCE,
        Origin.PREFERENCE,
        event.getPrompt(),
        null,
        event.getChosen(),
        event.getRejected(),
        List.of(),
        event.getTools(),
        event.getParallelToolCalls());
  }

  private static Conversion feedback(RawEvent event) {
    String correction = event.getCorrection();
    if (correction != null && !correction.isBlank()) {
      return Conversion.of(
          List.of(
              sft(event, correction, Origin.FEEDBACK_CORRECTION),
              new Candidate(
                  event.getId() + PREFERENCE_SUFFIX,
                  event.getId(),
                  event.getTenant(),
                  event.getTrack(),
                  ExampleKind.PREFERENCE,
                  Origin.FEEDBACK_CORRECTION,
                  event.getPrompt(),
                  null,
                  correction,
                  event.getResponse(),
                  List.of(),
                  event.getTools(),
                  event.getParallelToolCalls())));
    }
    Sentiment sentiment = Sentiment.of(event.getRating());
    return switch (sentiment) {
      case POSITIVE ->
          Conversion.of(
              List.of(
                  sft(event, event.getResponse(), Origin.FEEDBACK_POSITIVE),
                  vote(event, FeedbackLabel.DESIRABLE)));
      case NEGATIVE -> Conversion.of(List.of(vote(event, FeedbackLabel.UNDESIRABLE)));
      case NEUTRAL ->
          Conversion.none(
              RejectionReason.NEUTRAL_FEEDBACK,
              "rating "
                  + event.getRating()
                  + " without a correction says nothing about the response");
    };
  }

  private static Candidate sft(RawEvent event, String completion, Origin origin) {
    return new Candidate(
        event.getId() + SFT_SUFFIX,
        event.getId(),
        event.getTenant(),
        event.getTrack(),
        ExampleKind.SFT,
        origin,
        event.getPrompt(),
        completion,
        null,
        null,
        List.of(),
        event.getTools(),
        event.getParallelToolCalls());
  }

  private static Candidate vote(RawEvent event, FeedbackLabel label) {
    return new Candidate(
        event.getId() + BINARY_SUFFIX,
        event.getId(),
        event.getTenant(),
        event.getTrack(),
        ExampleKind.BINARY_FEEDBACK,
        Origin.FEEDBACK_VOTE,
        event.getPrompt(),
        event.getResponse(),
        null,
        null,
        label);
  }

  /** What a feedback rating says about the shown response. */
  public enum Sentiment {
    POSITIVE,
    NEUTRAL,
    NEGATIVE;

    /** Reads {@code "up"}, {@code "down"} or an integer 1..5; anything else is neutral. */
    public static Sentiment of(Object rating) {
      if (rating instanceof Integer stars) {
        if (stars >= LOWEST_POSITIVE_RATING) {
          return POSITIVE;
        }
        return stars <= HIGHEST_NEGATIVE_RATING ? NEGATIVE : NEUTRAL;
      }
      if (rating instanceof CharSequence vote) {
        return switch (vote.toString().trim().toLowerCase(Locale.ROOT)) {
          case "up" -> POSITIVE;
          case "down" -> NEGATIVE;
          default -> NEUTRAL;
        };
      }
      return NEUTRAL;
    }
  }
}
