package io.sluice.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules as the curator applies them to records another producer wrote to the raw topic. */
class RawEventValidatorTest {

  private static RawEvent.Builder feedback() {
    return RawEvent.newBuilder()
        .setId("f-1")
        .setType(EventType.feedback)
        .setTenant("acme")
        .setTrack("support-bot")
        .setTimestamp(Instant.parse("2025-01-31T09:30:00Z"))
        .setPrompt(List.of(ChatMessages.of(Role.user, "Reset my password")))
        .setResponse("Click Forgot password.")
        .setRating("up");
  }

  @Test
  void shouldAcceptValidRecordAfterTopicRoundTrip() {
    RawEvent event = feedback().setMetadata(Map.of("app", "web")).build();
    byte[] bytes = Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event);
    RawEvent decoded = Topics.EVENTS_RAW.valueSerde().deserializer().deserialize("t", bytes);

    assertThat(RawEventValidator.validate(decoded)).isEmpty();
  }

  @Test
  void shouldRejectRatingOutOfRangeWrittenByAnotherProducer() {
    RawEvent event = feedback().setRating(7).build();

    assertThat(RawEventValidator.validate(event))
        .containsExactly(
            new Violation(
                "/rating", "must be \"up\", \"down\" or an integer from 1 to 5, but was 7"));
  }

  @Test
  void shouldRejectChatPromptEndingWithAssistantTurn() {
    RawEvent event =
        feedback()
            .setPrompt(
                List.of(ChatMessages.of(Role.user, "hi"), ChatMessages.of(Role.assistant, "hello")))
            .build();

    assertThat(RawEventValidator.validate(event))
        .containsExactly(
            new Violation(
                "/prompt/1/role",
                "the last message must be a user turn (or a tool result), but was assistant"));
  }

  @Test
  void shouldRejectFieldsOfAnotherTypeAndMissingRequiredOnes() {
    RawEvent event = feedback().setType(EventType.example).setChosen("x").build();

    assertThat(RawEventValidator.validate(event))
        .extracting(Violation::pointer)
        .containsExactly("/completion", "/chosen", "/response", "/rating");
  }

  @Test
  void shouldRejectControlCharacterInMetadataKeyAndValue() {
    RawEvent event = feedback().setMetadata(Map.of("a\u0001", "b\u0000")).build();

    assertThat(RawEventValidator.validate(event))
        .containsExactly(
            new Violation(
                "/metadata/a\u0001",
                "contains control character U+0001 at index 1; none are allowed"),
            new Violation(
                "/metadata/a\u0001",
                "contains control character U+0000 at index 1; only tab, line feed and carriage"
                    + " return are allowed"));
  }

  @Test
  void shouldRejectTimestampOutsideFourDigitYears() {
    RawEvent event = feedback().setTimestamp(Instant.parse("+12000-01-01T00:00:00Z")).build();

    assertThat(RawEventValidator.validate(event))
        .extracting(Violation::pointer)
        .containsExactly("/timestamp");
  }

  @Test
  void shouldReportMissingRequiredFieldsOfHandBuiltRecord() {
    RawEvent event = new RawEvent();

    assertThat(RawEventValidator.validate(event))
        .extracting(Violation::pointer)
        .containsExactly("/id", "/type", "/tenant", "/track", "/timestamp", "/metadata", "/prompt");
  }
}
