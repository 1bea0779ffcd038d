package io.sluice.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>The header is parsed here rather than by DJL because DJL aborts the JVM on bf16 data, and most
 * published checkpoints are bf16. Every value is widened to float32 on read.
 */
public final class Safetensors {

  /** Storage types Sluice reads and writes. */
  public enum DType {
    F32(4),
    F16(2),
    BF16(2);

    final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }
  }

  // Real headers are kilobytes; a larger value means a corrupt or hostile file, and reading it
  // would allocate whatever the length field claims.
  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /** Reads every tensor of a file; order follows the file's data offsets. */
  public static Map<String, TensorData> read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw new ModelFormatException(
            file + " is truncated: " + fileSize + " bytes, no header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
        throw new ModelFormatException(
            file
                + " has an absurd header length "
                + headerLength
                + " (file is "
                + fileSize
                + " bytes)");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header;
      try {
        header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw new ModelFormatException(
            file + " has a header that is not JSON: " + e.getOriginalMessage(), e);
      }
      if (header == null || !header.isObject()) {
        throw new ModelFormatException(file + " has a header that is not a JSON object");
      }
      long dataStart = 8 + headerLength;
      long dataSize = fileSize - dataStart;
      Map<String, TensorData> tensors = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("__metadata__")) {
          continue;
        }
        tensors.put(
            field.getKey(),
            readTensor(channel, file, field.getKey(), field.getValue(), dataStart, dataSize));
      }
      return tensors;
    } catch (NoSuchFileException e) {
      throw new ModelFormatException("no safetensors file at " + file);
    }
  }

  private static TensorData readTensor(
      FileChannel channel, Path file, String name, JsonNode entry, long dataStart, long dataSize)
      throws IOException {
    String where = file + " tensor '" + name + "'";
    DType dtype;
    try {
      dtype = DType.valueOf(entry.path("dtype").asText());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(
          where
              + " has dtype "
              + entry.path("dtype")
              + "; supported: "
              + Arrays.toString(DType.values()));
    }
    JsonNode shapeNode = entry.path("shape");
    JsonNode offsets = entry.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new ModelFormatException(where + " needs a shape array and two data_offsets");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
    }
    long count;
    try {
      count = TensorData.elementCount(shape);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ModelFormatException(where + " has an invalid shape " + shapeNode);
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin || end > dataSize) {
      throw new ModelFormatException(
          where
              + " spans bytes ["
              + begin
              + ", "
              + end
              + ") but the data section has "
              + dataSize
              + " bytes (truncated file?)");
    }
    if (end - begin != count * dtype.bytes) {
      throw new ModelFormatException(
          where
              + " has shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " ("
              + count * dtype.bytes
              + " bytes) but spans "
              + (end - begin)
              + " bytes");
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new ModelFormatException(
          where + " has " + count + " values, more than one Java array holds");
    }
    MappedByteBuffer raw =
        channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin);
    raw.order(ByteOrder.LITTLE_ENDIAN);
    float[] data = new float[(int) count];
    switch (dtype) {
      case F32 -> raw.asFloatBuffer().get(data);
      case F16 -> {
        for (int i = 0; i < data.length; i++) {
          data[i] = fromF16(raw.getShort());
        }
      }
      case BF16 -> {
        // bf16 is the top half of a float32: widening is a shift, exact for every value.
        for (int i = 0; i < data.length; i++) {
          data[i] = Float.intBitsToFloat((raw.getShort() & 0xFFFF) << 16);
        }
      }
    }
    return new TensorData(shape, data);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new ModelFormatException("unexpected end of file");
      }
    }
  }

  /**
   * Writes tensors sorted by name (as the reference implementation does), narrowing to {@code
   * dtype}; the header is padded with spaces to an 8-byte boundary so data is aligned.
   */
  public static void write(
      Path file, Map<String, TensorData> tensors, DType dtype, Map<String, String> metadata)
      throws IOException {
    Map<String, TensorData> sorted = new TreeMap<>(tensors);
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, TensorData> e : sorted.entrySet()) {
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", dtype.name());
      Arrays.stream(e.getValue().shape()).forEach(entry.putArray("shape")::add);
      long size = (long) e.getValue().data().length * dtype.bytes;
      entry.putArray("data_offsets").add(offset).add(offset + size);
      offset += size;
    }
    byte[] headerJson = JSON.writeValueAsBytes(header);
    int padded = (headerJson.length + 7) / 8 * 8;
    ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(padded).put(headerJson);
    while (prefix.hasRemaining()) {
      prefix.put((byte) ' ');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      out.write(prefix.array());
      for (TensorData t : sorted.values()) {
        ByteBuffer data =
            ByteBuffer.allocate(t.data().length * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) {
          switch (dtype) {
            case F32 -> data.putFloat(v);
            case F16 -> data.putShort(toF16(v));
            case BF16 -> data.putShort(toBf16(v));
          }
        }
        out.write(data.array());
      }
    }
    // Readers never see a half-written file: the rename is the commit point.
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Rounds to nearest-even bf16, the rounding torch uses for {@code .to(torch.bfloat16)}. */
  static short toBf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    if (Float.isNaN(v)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  // Java 17 has no Float.float16ToFloat; these follow IEEE 754 binary16.
  static float fromF16(short half) {
    int h = half & 0xFFFF;
    int sign = (h >>> 15) << 31;
    int exp = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exp == 0) {
      float subnormal = mantissa * 0x1p-24f;
      return sign == 0 ? subnormal : -subnormal;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mantissa << 13));
  }

  static short toF16(float v) {
    int bits = Float.floatToRawIntBits(v);
    int sign = (bits >>> 16) & 0x8000;
    float abs = Math.abs(v);
    if (Float.isNaN(v)) {
      return (short) (sign | 0x7E00);
    }
    if (abs >= 65520f) {
      return (short) (sign | 0x7C00);
    }
    if (abs < 0x1p-14f) {
      // Subnormal half: a multiple of 2^-24, rounded to nearest-even by Math.rint.
      return (short) (sign | (int) Math.rint(abs * 0x1p24f));
    }
    int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
    int mantissa = bits & 0x7FFFFF;
    int half = (exp << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) (sign | half);
  }
}
