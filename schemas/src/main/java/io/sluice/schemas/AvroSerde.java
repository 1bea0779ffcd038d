package io.sluice.schemas;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary with single-object encoding: each value starts with the marker {@code C3 01} and the
 * 8-byte CRC-64-AVRO fingerprint of its writer schema (little-endian), so a reader can tell which
 * schema wrote it (docs/wire-format.md). There is no schema registry: a reader knows its own schema
 * plus the writer schemas added with {@link #withWriterSchema}, and refuses any other fingerprint
 * with a clear error (it also takes the fingerprint some libraries miscompute for schemas with
 * logical types, {@link LogicalTypesKeptForm}). Deploy readers before writers when a schema
 * evolves. Decoding refuses, with a message saying which, a missing header, an unknown fingerprint,
 * a truncated body, sizes larger than the value and bytes after the record; it never allocates more
 * than the value's size.
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private static final byte[] MARKER = {(byte) 0xC3, 0x01};
  private static final int HEADER_LENGTH = MARKER.length + Long.BYTES;
  private static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;

  private final Class<T> type;
  private final Schema readerSchema;
  private final SpecificData model;
  private final BinaryMessageEncoder<T> encoder;

  /** By writer fingerprint, this reader's own schema first. */
  private final Map<Long, DatumReader<T>> readersByWriter = new LinkedHashMap<>();

  /** The same readers by the fingerprint some libraries compute instead (LogicalTypesKeptForm). */
  private final Map<Long, DatumReader<T>> readersByMiscomputedFingerprint = new HashMap<>();

  private AvroSerde(Class<T> type, Schema readerSchema, SpecificData model) {
    this.type = type;
    this.readerSchema = readerSchema;
    this.model = model;
    this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
    addWriter(readerSchema);
  }

  /** A serde for a generated record class, writing and reading that class's schema. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    return new AvroSerde<>(type, model.getSchema(type), model);
  }

  /**
   * A serde that reads as {@code readerSchema} (an older or newer version of the class's schema),
   * used to prove compatibility; production code uses {@link #of}.
   */
  public static <T extends SpecificRecord> AvroSerde<T> reading(
      Class<T> type, Schema readerSchema) {
    return new AvroSerde<>(type, readerSchema, SpecificData.getForClass(type));
  }

  /** Lets this reader decode values written with another (compatible) version of the schema. */
  public AvroSerde<T> withWriterSchema(Schema writerSchema) {
    addWriter(writerSchema);
    return this;
  }

  @SuppressWarnings("unchecked")
  private void addWriter(Schema writerSchema) {
    ZeroByteItems.refuse(writerSchema);
    DatumReader<T> reader = (DatumReader<T>) model.createDatumReader(writerSchema, readerSchema);
    readersByWriter.put(SchemaNormalization.parsingFingerprint64(writerSchema), reader);
    readersByMiscomputedFingerprint.put(LogicalTypesKeptForm.fingerprint(writerSchema), reader);
  }

  /** The schema values are read as (and written with). */
  public Schema readerSchema() {
    return readerSchema;
  }

  /** Whether values written with {@code writerSchema} decode: its own or a registered writer. */
  public boolean reads(Schema writerSchema) {
    return readersByWriter.containsKey(SchemaNormalization.parsingFingerprint64(writerSchema));
  }

  /** The CRC-64-AVRO fingerprint written in every value's header, as 16 hex digits. */
  public static String fingerprint(Schema schema) {
    return hex(SchemaNormalization.parsingFingerprint64(schema));
  }

  @Override
  public byte[] serialize(String topic, T value) {
    if (value == null) {
      return null; // a tombstone
    }
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < HEADER_LENGTH || data[0] != MARKER[0] || data[1] != MARKER[1]) {
      throw new SerializationException(
          "topic "
              + topic
              + ": value is not Avro single-object encoded (expected the marker C3 01 and an"
              + " 8-byte schema fingerprint): "
              + describeStart(data));
    }
    long writer = ByteBuffer.wrap(data, MARKER.length, Long.BYTES).order(LITTLE).getLong();
    DatumReader<T> reader =
        readersByWriter.getOrDefault(writer, readersByMiscomputedFingerprint.get(writer));
    if (reader == null) {
      throw new SerializationException(
          "topic "
              + topic
              + ": value was written with an unknown "
              + type.getSimpleName()
              + " schema (fingerprint "
              + hex(writer)
              + ", header "
              + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(data, 0, HEADER_LENGTH)
              + "); this reader knows "
              + readersByWriter.keySet().stream()
                  .map(AvroSerde::hex)
                  .collect(Collectors.joining(", "))
              + ". Upgrade this reader, or register the writer schema; producers in other"
              + " languages: docs/wire-format.md says how the fingerprint is computed.");
    }
    return decodeBody(topic, data, writer, reader);
  }

  private T decodeBody(String topic, byte[] data, long writer, DatumReader<T> reader) {
    String cannot =
        "topic "
            + topic
            + ": cannot decode "
            + type.getSimpleName()
            + " (writer schema fingerprint "
            + hex(writer)
            + "): ";
    int bodyLength = data.length - HEADER_LENGTH;
    BoundedBinaryDecoder in = new BoundedBinaryDecoder(data, HEADER_LENGTH, bodyLength);
    T value;
    int left;
    try {
      value = reader.read(null, in);
      left = in.remaining();
    } catch (EOFException e) {
      throw new SerializationException(
          cannot + "truncated, the " + bodyLength + "-byte body ends inside the record", e);
    } catch (BoundedBinaryDecoder.CorruptValueException e) {
      throw new SerializationException(cannot + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          cannot
              + "the body is not a value of the schema ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")",
          e);
    }
    if (left > 0) {
      throw new SerializationException(cannot + left + " bytes follow the end of the record");
    }
    return value;
  }

  /** Length and first two bytes only: the rest may be personal data. */
  private static String describeStart(byte[] data) {
    if (data.length == 0) {
      return "the value is empty";
    }
    String start =
        HexFormat.ofDelimiter(" ").withUpperCase().formatHex(data, 0, Math.min(2, data.length));
    if (data.length < HEADER_LENGTH) {
      return "only " + data.length + " bytes, starting " + start + "; the header takes 10";
    }
    return data.length + " bytes, starting " + start;
  }

  private static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "AvroSerde[" + Objects.toString(type.getSimpleName()) + "]";
  }
}
