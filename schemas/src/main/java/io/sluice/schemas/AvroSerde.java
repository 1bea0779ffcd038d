package io.sluice.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary with single-object encoding: each value starts with the marker {@code C3 01} and the
 * 8-byte CRC-64-AVRO fingerprint of its writer schema, so a reader can tell which schema wrote it.
 * There is no schema registry: a reader knows its own schema plus the writer schemas added with
 * {@link #withWriterSchema}, and refuses any other fingerprint with a clear error. Deploy readers
 * before writers when a schema evolves.
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final Class<T> type;
  private final Schema readerSchema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final Set<String> writerFingerprints = new HashSet<>();

  private AvroSerde(Class<T> type, Schema readerSchema, SpecificData model) {
    this.type = type;
    this.readerSchema = readerSchema;
    this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
    this.decoder = new BinaryMessageDecoder<>(model, readerSchema);
    writerFingerprints.add(fingerprint(readerSchema));
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
    decoder.addSchema(writerSchema);
    writerFingerprints.add(fingerprint(writerSchema));
    return this;
  }

  /** The schema values are read as (and written with). */
  public Schema readerSchema() {
    return readerSchema;
  }

  /** Whether values written with {@code writerSchema} decode: its own or a registered writer. */
  public boolean reads(Schema writerSchema) {
    return writerFingerprints.contains(fingerprint(writerSchema));
  }

  /** The CRC-64-AVRO fingerprint written in every value's header, as 16 hex digits. */
  public static String fingerprint(Schema schema) {
    return String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
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
    try {
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw new SerializationException(
          "topic "
              + topic
              + ": value was written with an unknown "
              + type.getSimpleName()
              + " schema (fingerprint "
              + writerFingerprint(data)
              + "); this reader knows "
              + fingerprint(readerSchema)
              + ". Upgrade this reader, or register the writer schema.",
          e);
    } catch (BadHeaderException e) {
      throw new SerializationException(
          "topic "
              + topic
              + ": value is not Avro single-object encoded (expected marker C3 01 and a schema"
              + " fingerprint): "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "topic " + topic + ": cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static String writerFingerprint(byte[] data) {
    if (data.length < 10) {
      return "unreadable";
    }
    long fingerprint =
        ByteBuffer.wrap(data, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
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
