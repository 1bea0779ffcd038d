package io.sluice.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonReaderTest {

  private final EventJsonReader reader = new EventJsonReader(4);

  @Test
  void shouldReadSliceOfLargerBuffer() throws Exception {
    byte[] bytes = "xx{\"a\":\"é\"}yy".getBytes(StandardCharsets.UTF_8);

    assertThat(reader.read(bytes, 2, bytes.length - 4).get("a").asText()).isEqualTo("é");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ff",
        "80",
        "c0af",
        "c1bf",
        "e08080",
        "eda080",
        "e282",
        "f08f8080",
        "f4908080",
        "f5808080"
      })
  void shouldRejectInvalidUtf8InsteadOfReplacingIt(String hex) {
    byte[] prefix = "{\"a\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] bad = java.util.HexFormat.of().parseHex(hex);
    byte[] bytes = new byte[prefix.length + bad.length + 2];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    System.arraycopy(bad, 0, bytes, prefix.length, bad.length);
    bytes[bytes.length - 2] = '"';
    bytes[bytes.length - 1] = '}';

    assertThatThrownBy(() -> reader.read(bytes))
        .isInstanceOfSatisfying(
            MalformedJsonException.class,
            e -> assertThat(e.kind()).isEqualTo(MalformedJsonException.Kind.ENCODING))
        .hasMessage("invalid UTF-8 at byte 6");
  }

  @ParameterizedTest
  @ValueSource(strings = {"c3a9", "e282ac", "ed9fbf", "ee8080", "f09f9880", "f48fbfbf"})
  void shouldAcceptEveryWellFormedSequence(String hex) throws Exception {
    byte[] text = java.util.HexFormat.of().parseHex(hex);
    byte[] bytes = new byte[text.length + 2];
    bytes[0] = '"';
    System.arraycopy(text, 0, bytes, 1, text.length);
    bytes[bytes.length - 1] = '"';

    assertThat(reader.read(bytes).textValue()).isEqualTo(new String(text, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{} {}", "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":NaN}"})
  void shouldRejectMalformedJson(String json) {
    assertThatThrownBy(() -> reader.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            MalformedJsonException.class,
            e -> assertThat(e.kind()).isEqualTo(MalformedJsonException.Kind.SYNTAX));
  }

  @Test
  void shouldAcceptNestingUpToTheLimitAndRejectDeeper() throws Exception {
    assertThat(reader.read("[[[[1]]]]".getBytes(StandardCharsets.UTF_8)).isArray()).isTrue();

    assertThatThrownBy(() -> reader.read("[[[[[1]]]]]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            MalformedJsonException.class,
            e -> assertThat(e.kind()).isEqualTo(MalformedJsonException.Kind.DEPTH))
        .hasMessageContaining("limit of 4");
  }
}
