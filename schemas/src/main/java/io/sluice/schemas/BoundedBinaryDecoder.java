package io.sluice.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one value held in memory that refuses any length or item count larger
 * than the bytes left. Avro allocates a string, bytes or array by its declared size before reading
 * it, so without this a corrupt or hostile record of a few bytes declaring a 1 GB string makes the
 * reader allocate 1 GB (or die of OutOfMemoryError) instead of failing. An item count is bounded by
 * the bytes left because every item takes at least one byte: true of map entries (a key), and of
 * array items except ones that encode in zero bytes, which {@link AvroSerde} refuses in a schema.
 */
final class BoundedBinaryDecoder extends Decoder {

  private final BinaryDecoder in;
  private final InputStream remaining;

  BoundedBinaryDecoder(byte[] data, int offset, int length) {
    this.in = DecoderFactory.get().binaryDecoder(data, offset, length, null);
    this.remaining = in.inputStream();
  }

  /** Bytes not read yet. */
  int remaining() throws IOException {
    return remaining.available();
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkedLength("a string");
    Utf8 result = old == null ? new Utf8() : old;
    result.setByteLength(length);
    in.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    return new String(readLengthPrefixed("a string"), StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(checkedLength("a string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    return ByteBuffer.wrap(readLengthPrefixed("a bytes value"));
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(checkedLength("a bytes value"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(in.readArrayStart(), "an array");
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(in.arrayNext(), "an array");
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(in.readMapStart(), "a map");
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(in.mapNext(), "a map");
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }

  private byte[] readLengthPrefixed(String what) throws IOException {
    byte[] bytes = new byte[checkedLength(what)];
    in.readFixed(bytes);
    return bytes;
  }

  private int checkedLength(String what) throws IOException {
    long length = in.readLong();
    if (length < 0 || length > remaining()) {
      throw new CorruptValueException(
          what + " declares " + length + " bytes but " + remaining() + " are left");
    }
    return (int) length;
  }

  private long checkedCount(long count, String what) throws IOException {
    if (count > remaining()) {
      throw new CorruptValueException(
          what + " declares " + count + " more items but only " + remaining() + " bytes are left");
    }
    return count;
  }

  /** The value's bytes contradict themselves: a size larger than the value. */
  static final class CorruptValueException extends IOException {
    CorruptValueException(String message) {
      super(message);
    }
  }
}
