package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
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
  void shouldNameTheHeaderBytesAndEveryKnownFingerprintWhenTheWriterIsUnknown() {
    byte[] bytes = serde.serialize("t", feedback());
    bytes[2] ^= 0x55;
    long written = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    AvroSerde<RawEvent> withEarlier =
        AvroSerde.of(RawEvent.class).withWriterSchema(withAddedOptionalField(schema()));

    assertThatThrownBy(() -> withEarlier.deserialize("sluice.events.raw", bytes))
        .hasMessageContaining("fingerprint " + String.format("%016x", written))
        .hasMessageContaining(
            "header C3 01 " + HexFormat.of().withUpperCase().formatHex(bytes, 2, 3))
        .hasMessageContaining(AvroSerde.fingerprint(schema()))
        .hasMessageContaining(AvroSerde.fingerprint(withAddedOptionalField(schema())));
  }

  @Test
  void shouldRefuseAValueShorterThanTheHeaderWithoutQuotingIt() {
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {(byte) 0xC3, 0x01, 'a', 'b'}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not Avro single-object encoded")
        .hasMessageContaining("only 4 bytes, starting C3 01; the header takes 10");
  }

  @Test
  void shouldRefuseAStringLongerThanTheValueBeforeAllocatingIt() {
    // id declares 1,000,000,000 bytes: Avro alone would allocate them (or die of OOM).
    byte[] bytes = withBody(new byte[] {(byte) 128, (byte) 168, (byte) 214, (byte) 185, 7});

    assertThatThrownBy(() -> serde.deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode RawEvent")
        .hasMessageContaining("a string declares 1000000000 bytes but 0 are left");
  }

  @Test
  void shouldRefuseAnArrayWithMoreItemsThanTheValueHasBytes() {
    // id "a", example, tenant "t", track "t", timestamp 0, metadata {}, prompt: chat of 10^9 turns
    byte[] bytes =
        withBody(
            new byte[] {
              2, 'a', 0, 2, 't', 2, 't', 0, 0, 2, (byte) 128, (byte) 168, (byte) 214, (byte) 185, 7
            });

    assertThatThrownBy(() -> serde.deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("an array declares 1000000000 more items but only 0 bytes are left");
  }

  @Test
  void shouldRefuseBytesAfterTheRecord() {
    byte[] record = serde.serialize("t", feedback());
    byte[] padded = Arrays.copyOf(record, record.length + 3);

    assertThatThrownBy(() -> serde.deserialize("t", padded))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 bytes follow the end of the record");
  }

  @Test
  void shouldRefuseASchemaWhoseArrayItemsTakeNoBytes() {
    Schema nulls = Schema.createArray(Schema.create(Schema.Type.NULL));
    Schema record =
        Schema.createRecord(
            "Holes", "d", "io.sluice.test", false, List.of(new Schema.Field("holes", nulls)));

    assertThatThrownBy(() -> AvroSerde.of(RawEvent.class).withWriterSchema(record))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("array items of type null encode in zero bytes");
  }

  private static Schema schema() {
    return RawEvent.getClassSchema();
  }

  /** The single-object header of RawEvent's schema, then {@code body}. */
  private static byte[] withBody(byte[] body) {
    ByteBuffer value = ByteBuffer.allocate(10 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    value.put((byte) 0xC3).put((byte) 0x01);
    value.putLong(SchemaNormalization.parsingFingerprint64(schema())).put(body);
    return value.array();
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
