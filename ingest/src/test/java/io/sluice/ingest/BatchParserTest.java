package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.event.EventJsonReader;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ServerDefaults;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchParserTest {

  private static final String GOOD =
      "{\"type\":\"example\",\"tenant\":\"acme\",\"track\":\"bot\",\"prompt\":\"p\",\"completion\":\"c\"}";
  private static final LineConverter NATIVE =
      json -> NativeEvents.parse(json, ServerDefaults.system(), EventLimits.DEFAULT);

  private final BatchParser parser = new BatchParser(new EventJsonReader(32), 200, 3);

  private BatchResult parse(String body) {
    return parser.parse(body.getBytes(StandardCharsets.UTF_8), NATIVE);
  }

  @Test
  void shouldSkipBlankLinesButKeepTheirNumbers() {
    BatchResult result = parse("\n" + GOOD + "\r\n  \n" + GOOD + "\n");

    assertThat(result).isInstanceOf(BatchResult.Accepted.class);
    assertThat(((BatchResult.Accepted) result).events())
        .hasSize(2)
        .allSatisfy(e -> assertThat(e).isInstanceOf(RawEvent.class));
    assertThat(((BatchResult.Accepted) result).lines()).containsExactly(2, 4);
  }

  @Test
  void shouldSkipAByteOrderMarkAtTheStart() {
    BatchResult result = parse("\uFEFF\r\n" + GOOD + "\n");

    assertThat(((BatchResult.Accepted) result).lines()).containsExactly(2);
  }

  @Test
  void shouldSayWhenALineEndsInsideAJsonValue() {
    BatchResult.Refused refused =
        (BatchResult.Refused) parse("{\n  \"type\": \"example\"}\n{\"a\": ]\n");

    assertThat(refused.errors()).extracting(Problem.Error::line).containsExactly(1, 2, 3);
    assertThat(refused.errors().get(0).message()).contains("pretty-printed over several lines");
    assertThat(refused.errors().get(2).message()).doesNotContain("pretty-printed");
  }

  @Test
  void shouldListEveryBadLineAndRankTheStatus() {
    String tooLong = GOOD.replace("\"c\"", "\"" + "c".repeat(200) + "\"");
    BatchResult result = parse(GOOD.replace("acme", "ACME") + "\n{nope\n" + tooLong);

    BatchResult.Refused refused = (BatchResult.Refused) result;
    assertThat(refused.kind()).isEqualTo(Problem.Kind.PAYLOAD_TOO_LARGE);
    assertThat(refused.errors()).extracting(Problem.Error::line).containsExactly(1, 2, 3);
    assertThat(refused.detail()).startsWith("3 of 3 events are invalid");
  }

  @Test
  void shouldPreferMalformedJsonOverFieldViolations() {
    BatchResult.Refused refused =
        (BatchResult.Refused) parse(GOOD.replace("acme", "ACME") + "\n[\n");

    assertThat(refused.kind()).isEqualTo(Problem.Kind.MALFORMED_JSON);
  }

  @Test
  void shouldRefuseMoreLinesThanTheLimitBeforeParsingThem() {
    BatchResult.Refused refused = (BatchResult.Refused) parse((GOOD + "\n").repeat(3) + "{nope");

    assertThat(refused.kind()).isEqualTo(Problem.Kind.PAYLOAD_TOO_LARGE);
    assertThat(refused.errors()).isEmpty();
    assertThat(refused.detail()).contains("more than 3 events");
  }

  @Test
  void shouldRefuseBodyWithoutEvents() {
    assertThat(((BatchResult.Refused) parse("\n\r\n")).kind()).isEqualTo(Problem.Kind.EMPTY_BATCH);
  }
}
