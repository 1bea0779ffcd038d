package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.io.ModelFormatException;
import io.sluice.model.layers.Adaptation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonlSuiteTest {

  @Test
  void shouldScoreTheShippedSuiteOnTheDefaultModel() throws Exception {
    Path file =
        Path.of(
            JsonlSuiteTest.class
                .getResource("/io/sluice/evaluator/suites/tiny-general.jsonl")
                .toURI());
    JsonlSuite suite = JsonlSuite.read(file);
    Map<String, Double> scores = suite.evaluate(Fixtures.lm(), Adaptation.NONE, 16);
    assertThat(scores)
        .containsOnlyKeys("arithmetic", "weekday", "capitals_mc", "capitals_mc.acc_norm");
    assertThat(scores.get("arithmetic")).isEqualTo(1.0);
    assertThat(scores.get("weekday")).isEqualTo(1.0);
    assertThat(scores.values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    assertThat(suite.id()).startsWith("jsonl:");
  }

  @Test
  void shouldNameTheBadLine() {
    assertThatThrownBy(
            () ->
                JsonlSuite.parse(
                    "s.jsonl",
                    List.of("{\"prompt\":\"a\",\"answer\":\"b\"}", "{\"prompt\":\"q\"}")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("s.jsonl:2");
    assertThatThrownBy(
            () ->
                JsonlSuite.parse(
                    "s.jsonl",
                    List.of("{\"prompt\":\"q\",\"choices\":[\"a\",\"b\"],\"answer_index\":2}")))
        .hasMessageContaining("s.jsonl:1")
        .hasMessageContaining("answer_index");
    assertThatThrownBy(() -> JsonlSuite.parse("s.jsonl", List.of("not json")))
        .hasMessageContaining("s.jsonl:1: not JSON");
    assertThatThrownBy(() -> JsonlSuite.parse("s.jsonl", List.of("", " ")))
        .hasMessageContaining("no suite items");
  }
}
