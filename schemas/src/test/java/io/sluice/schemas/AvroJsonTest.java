package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.Objective;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Split;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

  @Test
  void shouldWriteUnionsUnwrappedAndTimestampsAsIso() {
    String json = AvroJson.toJsonLine(AvroSerdeTest.feedback());

    assertThat(json)
        .contains("\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\",\"tool_calls\":[]")
        .contains("\"rating\":4")
        .contains("\"timestamp\":\"2026-11-24T10:15:30.123Z\"")
        .contains("\"completion\":null")
        .doesNotContain("{\"string\"");
  }

  @Test
  void shouldWriteAnOptionalTimestampOfAGeneratedRecord() {
    AdapterCandidate candidate =
        AdapterCandidate.newBuilder()
            .setCandidateId("ad-1")
            .setTenant("acme")
            .setTrack("support-bot")
            .setBaseModel("sluice-tiny")
            .setAdapterUri("/store/ad-1")
            .setObjective(Objective.SFT)
            .setCreatedAt(Instant.parse("2026-11-30T08:00:00Z"))
            .setExampleCount(3)
            .setWindowStartedAt(Instant.parse("2026-11-30T07:59:00Z"))
            .setSources(java.util.List.of())
            .build();

    assertThat(AvroJson.toJsonLine(candidate))
        .contains("\"windowStartedAt\":\"2026-11-30T07:59:00Z\"");
    assertThat(AvroJson.fromJsonLine(AvroJson.toJsonLine(candidate), AdapterCandidate.class))
        .isEqualTo(candidate);
  }

  @Test
  void shouldRoundTripRawEvent() {
    RawEvent event = AvroSerdeTest.feedback();

    assertThat(AvroJson.fromJsonLine(AvroJson.toJsonLine(event), RawEvent.class)).isEqualTo(event);
  }

  @Test
  void shouldRoundTripTextPromptAndStringRating() {
    RawEvent event = AvroSerdeTest.feedback();
    event.setPrompt("plain text prompt");
    event.setRating("up");

    assertThat(AvroJson.fromJsonLine(AvroJson.toJsonLine(event), RawEvent.class)).isEqualTo(event);
  }

  @Test
  void shouldRoundTripCuratedExampleAndFillDefaults() {
    CuratedExample example =
        CuratedExample.newBuilder()
            .setId("e1#sft")
            .setSourceId("e1")
            .setTenant("acme")
            .setTrack("support")
            .setKind(ExampleKind.SFT)
            .setOrigin(Origin.FEEDBACK_CORRECTION)
            .setPrompt("Where is <EMAIL_1>?")
            .setCompletion("Here.")
            .setSplit(Split.TRAIN)
            .setContentHash("ab")
            .setPiiCounts(Map.of("EMAIL", 1))
            .setLineage(new Lineage("sluice.events.raw", 2, 40L))
            .setEventTimestamp(Instant.ofEpochMilli(1000))
            .setCuratedAt(Instant.ofEpochMilli(2000))
            .build();
    String json = AvroJson.toJsonLine(example).replace(",\"metadata\":{}", "");

    assertThat(AvroJson.fromJsonLine(json, CuratedExample.class)).isEqualTo(example);
  }

  @Test
  void shouldNameTheOffendingFieldPath() {
    String json =
        AvroJson.toJsonLine(AvroSerdeTest.feedback())
            .replace("\"role\":\"system\"", "\"role\":\"robot\"");

    assertThatThrownBy(() -> AvroJson.fromJsonLine(json, RawEvent.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/prompt/0/role")
        .hasMessageContaining("must be one of");
  }

  @Test
  void shouldRejectUnknownAndMissingFields() {
    String json = AvroJson.toJsonLine(AvroSerdeTest.feedback());

    assertThatThrownBy(
            () -> AvroJson.fromJsonLine(json.replace("\"id\":", "\"ident\":"), RawEvent.class))
        .hasMessageContaining("/ident: unknown field");
    assertThatThrownBy(
            () -> AvroJson.fromJsonLine(json.replace("\"tenant\":\"acme\",", ""), RawEvent.class))
        .hasMessageContaining("/tenant: is required");
  }
}
