package io.sluice.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static final TensorData MATRIX =
      new TensorData(new long[] {2, 3}, new float[] {1f, -2.5f, 3.25f, 0f, 1e-3f, 65504f});

  @Test
  void float32RoundTripIsExact() throws Exception {
    Path file = dir.resolve("a.safetensors");
    Safetensors.write(
        file,
        Map.of("w", MATRIX, "v", new TensorData(new long[] {1}, new float[] {7f})),
        Safetensors.DType.F32,
        Map.of());
    Map<String, TensorData> back = Safetensors.read(file);
    assertThat(back).containsOnlyKeys("w", "v");
    assertThat(back.get("w").shape()).containsExactly(2, 3);
    assertThat(back.get("w").data()).containsExactly(MATRIX.data());
  }

  @Test
  void bf16IsWidenedToFloat32() throws Exception {
    Path file = dir.resolve("b.safetensors");
    // Values exactly representable in bf16 come back bit-identical after widening.
    float[] values = {1f, -2.5f, 3.25f, 0f, 0.5f, -1024f};
    Safetensors.write(
        file,
        Map.of("w", new TensorData(new long[] {2, 3}, values)),
        Safetensors.DType.BF16,
        Map.of());
    assertThat(Files.size(file) - headerEnd(file)).isEqualTo(12);
    assertThat(Safetensors.read(file).get("w").data()).containsExactly(values);
  }

  @Test
  void bf16RoundsToNearestEven() {
    // 1 + 2^-8 is halfway between two bf16 values; nearest-even rounds down to 1.
    assertThat(Safetensors.toBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);
    assertThat(Float.intBitsToFloat((Safetensors.toBf16(3.14159f) & 0xFFFF) << 16))
        .isEqualTo(3.140625f);
  }

  @Test
  void f16RoundTripKeepsHalfPrecisionValues() throws Exception {
    Path file = dir.resolve("c.safetensors");
    Safetensors.write(file, Map.of("w", MATRIX), Safetensors.DType.F16, Map.of());
    float[] back = Safetensors.read(file).get("w").data();
    assertThat(back[0]).isEqualTo(1f);
    assertThat(back[1]).isEqualTo(-2.5f);
    assertThat(back[5]).isEqualTo(65504f);
    assertThat(back[4]).isCloseTo(1e-3f, org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void truncatedFileFails() throws Exception {
    Path file = dir.resolve("t.safetensors");
    Safetensors.write(file, Map.of("w", MATRIX), Safetensors.DType.F32, Map.of());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
    assertThatThrownBy(() -> Safetensors.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("truncated");
  }

  @Test
  void absurdHeaderLengthFails() throws Exception {
    Path file = dir.resolve("h.safetensors");
    Files.write(
        file,
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).array());
    assertThatThrownBy(() -> Safetensors.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("absurd header length");
  }

  @Test
  void tinyFileFails() throws Exception {
    Path file = dir.resolve("x.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Safetensors.read(file)).hasMessageContaining("truncated");
  }

  @Test
  void nonJsonHeaderFails() throws Exception {
    Path file = dir.resolve("j.safetensors");
    byte[] header = "{not json".getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length).put(header);
    Files.write(file, buf.array());
    assertThatThrownBy(() -> Safetensors.read(file))
        .hasMessageContaining("header that is not JSON");
  }

  @Test
  void shapeThatDisagreesWithByteSpanFails() throws Exception {
    Path file = dir.resolve("s.safetensors");
    byte[] header =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}"
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + header.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length).put(header);
    Files.write(file, buf.array());
    assertThatThrownBy(() -> Safetensors.read(file))
        .hasMessageContaining("(16 bytes) but spans 12 bytes");
  }

  @Test
  void unsupportedDtypeIsNamed() throws Exception {
    Path file = dir.resolve("d.safetensors");
    byte[] header =
        "{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}"
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length).put(header);
    Files.write(file, buf.array());
    assertThatThrownBy(() -> Safetensors.read(file)).hasMessageContaining("dtype \"I64\"");
  }

  private static long headerEnd(Path file) throws Exception {
    byte[] first = Arrays.copyOf(Files.readAllBytes(file), 8);
    return 8 + ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
