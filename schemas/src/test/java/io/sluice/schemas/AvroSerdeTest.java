package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final AvroSerde<RawEvent> serde = AvroSerde.of(RawEvent.class);

  static RawEvent feedback() {
    return RawEvent.newBuilder()
        .setId("evt-1")
        .setType(EventType.feedback)
        .setTenant("acme")
        .setTrack("support-bot")
        .setTimestamp(Instant.parse("2026-11-24T10:15:30.123Z"))
        .setMetadata(Map.of("app", "web"))
        .setPrompt(
            List.of(
                ChatMessages.of(Role.system, "Be brief."),
                ChatMessages.of(Role.user, "Reset my router?")))
        .setResponse("Unplug it.")
        .setRating(4)
        .setCorrection("Hold reset for 10 seconds.")
        .build();
  }

  @Test
  void shouldRoundTripWithSingleObjectHeader() {
    byte[] bytes = serde.serialize("t", feedback());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(serde.deserialize("t", bytes)).isEqualTo(feedback());
  }

  @Test
  void shouldPassTombstonesThrough() {
    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void shouldRefuseUnknownFingerprintWithClearError() {
    byte[] bytes = AvroSerde.of(Lineage.class).serialize("t", new Lineage("a", 0, 1L));

    assertThatThrownBy(() -> serde.deserialize("sluice.events.raw", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("sluice.events.raw")
        .hasMessageContaining("unknown RawEvent schema")
        .hasMessageContaining(AvroSerde.fingerprint(Lineage.getClassSchema()))
        .hasMessageContaining(AvroSerde.fingerprint(RawEvent.getClassSchema()));
  }

  @Test
  void shouldRefuseBytesWithoutHeader() {
    assertThatThrownBy(() -> serde.deserialize("t", "{\"id\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not Avro single-object encoded");
  }

  @Test
  void shouldRefuseTruncatedRecord() {
    byte[] bytes = serde.serialize("t", feedback());
    byte[] truncated = java.util.Arrays.copyOf(bytes, 14);

    assertThatThrownBy(() -> serde.deserialize("t", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode RawEvent");
  }

  @Test
  void shouldLetAnOldReaderReadARecordWithAnAddedOptionalField() throws Exception {
    Schema newer = withAddedOptionalField(RawEvent.getClassSchema());
    GenericRecord written = new GenericData.Record(newer);
    RawEvent original = feedback();
    for (Schema.Field field : RawEvent.getClassSchema().getFields()) {
      written.put(
          field.name(), GenericData.get().deepCopy(field.schema(), original.get(field.pos())));
    }
    written.put("sessionId", "s-42");
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(model, newer).encode(written);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);

    AvroSerde<RawEvent> oldReader =
        AvroSerde.reading(RawEvent.class, RawEvent.getClassSchema()).withWriterSchema(newer);

    assertThat(oldReader.deserialize("t", bytes)).isEqualTo(original);
    assertThatThrownBy(() -> serde.deserialize("t", bytes))
        .isInstanceOf(SerializationException.class);
  }

  private static Schema withAddedOptionalField(Schema schema) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    Schema optionalString =
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    fields.add(
        new Schema.Field(
            "sessionId", optionalString, "added later", Schema.Field.NULL_DEFAULT_VALUE));
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }
}
