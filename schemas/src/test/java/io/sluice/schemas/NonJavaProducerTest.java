package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.ToolCall;
import io.sluice.schemas.avro.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * Records written by a non-Java producer from the .avsc files alone decode with the raw topic's
 * real deserializer. The bytes under {@code wire/raw-events/} were written once by {@code
 * src/test/node/write-raw-events.js} (the avsc npm library, its own CRC-64-AVRO); they are
 * committed so this test needs no Node, and fail it if our schema or fingerprint drifts.
 */
class NonJavaProducerTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private final Deserializer<RawEvent> raw = Topics.EVENTS_RAW.valueSerde().deserializer();

  @Test
  void shouldComputeTheSameFingerprintAsTheNodeProducer() {
    byte[] bytes = fixture("example-text.bin");

    assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
    assertThat(new String(fixture("RawEvent.fingerprint"), StandardCharsets.US_ASCII).trim())
        .isEqualTo(AvroSerde.fingerprint(RawEvent.getClassSchema()));
    assertThat(Arrays.copyOfRange(bytes, 2, 10))
        .isEqualTo(littleEndian(AvroSerde.fingerprint(RawEvent.getClassSchema())));
  }

  @Test
  void shouldReadAPlainTextExampleWithUnicodeAndEveryOptionalFieldAbsent() {
    RawEvent event = decode("example-text.bin");

    assertThat(event.getId()).isEqualTo("node-example-1");
    assertThat(event.getType()).isEqualTo(EventType.example);
    assertThat(event.getTenant()).isEqualTo("acme");
    assertThat(event.getTrack()).isEqualTo("support");
    assertThat(event.getTimestamp()).isEqualTo(T0);
    assertThat(event.getMetadata()).isEmpty();
    assertThat(event.getPrompt()).isEqualTo("Wie setze ich den Router zurück? 🚀 ルーター");
    assertThat(event.getCompletion())
        .isEqualTo("Halten Sie die Reset-Taste zehn Sekunden lang gedrückt — fertig. ✅");
    assertThat(event.getChosen()).isNull();
    assertThat(event.getRejected()).isNull();
    assertThat(event.getResponse()).isNull();
    assertThat(event.getRating()).isNull();
    assertThat(event.getCorrection()).isNull();
    assertThat(event.getComment()).isNull();
    assertThat(event.getCompletionToolCalls()).isEmpty();
    assertThat(event.getTools()).isEmpty();
    assertThat(event.getParallelToolCalls()).isNull();
  }

  @Test
  void shouldReadAChatExampleWithToolCallsToolsAndMetadata() {
    RawEvent event = decode("example-chat-tools.bin");

    assertThat(event.getId()).isEqualTo("node-example-2");
    assertThat(event.getType()).isEqualTo(EventType.example);
    assertThat(event.getTrack()).isEqualTo("agents");
    assertThat(event.getTimestamp()).isEqualTo(T0.plusMillis(1));
    assertThat(event.getMetadata())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("source", "node-producer", "région", "Île-de-France", "empty", ""));
    assertThat(event.getPrompt())
        .isEqualTo(
            List.of(
                turn(Role.system, "You are Acme's bot.", List.of(), null, null),
                turn(Role.user, "Weather in Zürich?", List.of(), null, null),
                turn(
                    Role.assistant,
                    "",
                    List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Zürich\"}")),
                    null,
                    1),
                turn(Role.tool, "{\"celsius\":21}", List.of(), "call_1", null),
                turn(Role.user, "And tomorrow?", List.of(), null, null)));
    assertThat(event.getCompletion()).isEmpty();
    assertThat(event.getCompletionToolCalls())
        .containsExactly(
            new ToolCall("call_2", "get_forecast", "{\"city\":\"Zürich\",\"days\":1}"));
    assertThat(event.getTools())
        .containsExactly(
            new ToolDefinition(
                "get_weather",
                "Current weather in a city.",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}",
                true),
            new ToolDefinition("get_forecast", null, null, null));
    assertThat(event.getParallelToolCalls()).isFalse();
  }

  @Test
  void shouldReadAPreference() {
    RawEvent event = decode("preference.bin");

    assertThat(event.getId()).isEqualTo("node-preference-1");
    assertThat(event.getType()).isEqualTo(EventType.preference);
    assertThat(event.getTimestamp()).isEqualTo(T0.plusMillis(2));
    assertThat(event.getMetadata()).containsExactly(Map.entry("ab", "B"));
    assertThat(event.getPrompt()).isEqualTo("Summarize: the meeting moved to 3pm.");
    assertThat(event.getChosen()).isEqualTo("The meeting is now at 3pm.");
    assertThat(event.getRejected()).isEqualTo("There was a meeting.");
    assertThat(event.getCompletion()).isNull();
    assertThat(event.getRating()).isNull();
  }

  @Test
  void shouldReadFeedbackWithAStringRatingAndACorrection() {
    RawEvent event = decode("feedback-down-with-correction.bin");

    assertThat(event.getId()).isEqualTo("node-feedback-1");
    assertThat(event.getType()).isEqualTo(EventType.feedback);
    assertThat(event.getTenant()).isEqualTo("globex");
    assertThat(event.getTrack()).isEqualTo("billing");
    assertThat(event.getTimestamp()).isEqualTo(T0.plusMillis(3));
    assertThat(event.getPrompt()).isEqualTo("Why was I charged twice?");
    assertThat(event.getResponse()).isEqualTo("You were not charged twice.");
    assertThat(event.getRating()).isEqualTo("down");
    assertThat(event.getCorrection())
        .isEqualTo("The duplicate charge is a pending authorization; it drops in 3 days.");
    assertThat(event.getComment()).isEqualTo("Agent fixed it 👍");
    assertThat(event.getParallelToolCalls()).isTrue();
  }

  @Test
  void shouldReadFeedbackWithAnIntegerRating() {
    RawEvent event = decode("feedback-rating-int.bin");

    assertThat(event.getId()).isEqualTo("node-feedback-2");
    assertThat(event.getTimestamp()).isEqualTo(T0.plusMillis(4));
    assertThat(event.getResponse()).isEqualTo("Settings → Billing → Export.");
    assertThat(event.getRating()).isEqualTo(4);
    assertThat(event.getCorrection()).isNull();
    assertThat(event.getComment()).isNull();
  }

  @Test
  void shouldRefuseARecordFromAnUnknownWriterSchemaNamingItsFingerprint() {
    byte[] bytes = fixture("unknown-fingerprint.bin");
    String written = hex(Arrays.copyOfRange(bytes, 2, 10));

    assertThatThrownBy(() -> raw.deserialize("sluice.events.raw", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown RawEvent schema")
        .hasMessageContaining(written)
        .hasMessageContaining(AvroSerde.fingerprint(RawEvent.getClassSchema()));
  }

  private RawEvent decode(String name) {
    return raw.deserialize("sluice.events.raw", fixture(name));
  }

  private static ChatMessage turn(
      Role role, String content, List<ToolCall> calls, String toolCallId, Integer weight) {
    return new ChatMessage(role, content, calls, toolCallId, weight);
  }

  /** The fingerprint as the header carries it: the 64-bit value, least significant byte first. */
  private static byte[] littleEndian(String fingerprint) {
    long value = Long.parseUnsignedLong(fingerprint, 16);
    byte[] bytes = new byte[8];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (value >>> (8 * i));
    }
    return bytes;
  }

  /** The header's 8 fingerprint bytes read little-endian, as 16 hex digits. */
  private static String hex(byte[] littleEndian) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (littleEndian[i] & 0xFF);
    }
    return String.format("%016x", value);
  }

  private static byte[] fixture(String name) {
    String resource = "/wire/raw-events/" + name;
    try (InputStream in = NonJavaProducerTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing; see src/test/node/README.md");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
