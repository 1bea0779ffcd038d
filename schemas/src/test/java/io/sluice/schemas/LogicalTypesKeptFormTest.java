package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class LogicalTypesKeptFormTest {

  /** What Debian's python3-avro 1.11.1 gets: CRC-64-AVRO over its RawEvent canonical_form. */
  private static final long PYTHON_AVRO_1_11_1_RAW_EVENT = 0x12b65102d013fb92L;

  @Test
  void shouldBeTheFingerprintPythonAvroComputesForRawEvent() {
    assertThat(LogicalTypesKeptForm.fingerprint(RawEvent.getClassSchema()))
        .isEqualTo(PYTHON_AVRO_1_11_1_RAW_EVENT);
    assertThat(LogicalTypesKeptForm.of(RawEvent.getClassSchema()))
        .contains("{\"name\":\"timestamp\",\"type\":{\"type\":\"long\"}}");
  }

  @Test
  void shouldDifferFromTheParsingCanonicalFormOnlyInLogicalTypes() {
    for (Schema schema :
        new Schema[] {
          ChatMessage.getClassSchema(), RawEvent.getClassSchema(), CuratedExample.getClassSchema()
        }) {
      assertThat(LogicalTypesKeptForm.of(schema).replaceAll("\\{\"type\":(\"[a-z]+\")}", "$1"))
          .isEqualTo(SchemaNormalization.toParsingForm(schema));
    }
  }

  @Test
  void shouldReadARawEventCarryingThatFingerprint() {
    RawEvent event =
        RawEvent.newBuilder()
            .setId("py-1")
            .setType(EventType.example)
            .setTenant("acme")
            .setTrack("support")
            .setTimestamp(Instant.parse("2025-03-01T12:00:00Z"))
            .setMetadata(Map.of())
            .setPrompt("Reset?")
            .setCompletion("Hold the button.")
            .build();
    byte[] bytes = Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event);
    ByteBuffer.wrap(bytes, 2, 8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(PYTHON_AVRO_1_11_1_RAW_EVENT);

    assertThat(Topics.EVENTS_RAW.valueSerde().deserializer().deserialize("t", bytes))
        .isEqualTo(event);
  }
}
