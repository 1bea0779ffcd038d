package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.Objective;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Records written before votes and semantic dedup existed (the earlier schemas the topic catalog
 * registers) are read by today's serdes: the new fields take their defaults, the old enum symbols
 * keep their meaning.
 */
class FeedbackSchemaEvolutionTest {

  private static Schema before(String name) {
    return EarlierSchemas.of(name, 1).get(0);
  }

  /** Encodes {@code record}'s fields that {@code schema} has, as a writer of that schema would. */
  private static byte[] writtenWith(
      Schema schema, org.apache.avro.specific.SpecificRecordBase record) throws IOException {
    GenericRecord written = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Object value = record.get(record.getSchema().getField(field.name()).pos());
      written.put(
          field.name(),
          GenericData.get().deepCopy(field.schema(), toGeneric(field.schema(), value)));
    }
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(model, schema).encode(written);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static Object toGeneric(Schema schema, Object value) {
    if (value instanceof Enum<?> symbol) {
      return new GenericData.EnumSymbol(schema, symbol.name());
    }
    return value;
  }

  @Test
  void curatedRecordsWrittenBeforeVotesReadWithoutALabel() throws IOException {
    CuratedExample today =
        CuratedExample.newBuilder()
            .setId("e1")
            .setSourceId("e1")
            .setTenant("acme")
            .setTrack("support")
            .setKind(ExampleKind.SFT)
            .setOrigin(io.sluice.schemas.avro.Origin.EXAMPLE)
            .setPrompt("Reset?")
            .setCompletion("Hold reset.")
            .setSplit(io.sluice.schemas.avro.Split.TRAIN)
            .setContentHash("h")
            .setLineage(new Lineage("sluice.events.raw", 0, 3L))
            .setEventTimestamp(java.time.Instant.EPOCH)
            .setCuratedAt(java.time.Instant.EPOCH)
            .build();
    Schema old = before("CuratedExample");
    CuratedExample read =
        Topics.EXAMPLES_CURATED
            .valueSerde()
            .deserializer()
            .deserialize("t", writtenWith(old, today));

    assertThat(read).isEqualTo(today);
    assertThat(read.getLabel()).isNull();
  }

  @Test
  void candidatesWrittenBeforeSemanticDedupReadWithNoDuplicates() throws IOException {
    AdapterCandidate today =
        AdapterCandidate.newBuilder()
            .setCandidateId("ad-1")
            .setTenant("acme")
            .setTrack("support")
            .setBaseModel("sluice-tiny")
            .setAdapterUri("/store/ad-1")
            .setObjective(Objective.SFT_DPO)
            .setCreatedAt(java.time.Instant.EPOCH)
            .setExampleCount(64)
            .setSources(java.util.List.of())
            .build();
    Schema old = before("AdapterCandidate");
    AdapterCandidate read =
        Topics.ADAPTERS_CANDIDATES
            .valueSerde()
            .deserializer()
            .deserialize("t", writtenWith(old, today));

    assertThat(read).isEqualTo(today);
    assertThat(read.getSemanticDuplicates()).isZero();
    assertThat(read.getObjective()).isEqualTo(Objective.SFT_DPO);
  }

  @Test
  void rawChatEventsWrittenBeforeToolsReadWithoutTools() throws IOException {
    Schema old = before("RawEvent");
    Schema oldTurn = old.getField("prompt").schema().getTypes().get(1).getElementType();
    GenericRecord turn = new GenericData.Record(oldTurn);
    turn.put("role", new GenericData.EnumSymbol(oldTurn.getField("role").schema(), "user"));
    turn.put("content", "Where is my order?");
    GenericRecord event = new GenericData.Record(old);
    event.put("id", "e1");
    event.put("type", new GenericData.EnumSymbol(old.getField("type").schema(), "example"));
    event.put("tenant", "acme");
    event.put("track", "support");
    event.put("timestamp", 0L);
    event.put("metadata", java.util.Map.of());
    event.put("prompt", java.util.List.of(turn));
    event.put("completion", "It ships today.");
    ByteBuffer buffer =
        new BinaryMessageEncoder<GenericRecord>(new GenericData(), old).encode(event);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);

    io.sluice.schemas.avro.RawEvent read =
        Topics.EVENTS_RAW.valueSerde().deserializer().deserialize("t", bytes);

    ChatMessage readTurn = (ChatMessage) ((java.util.List<?>) read.getPrompt()).get(0);
    assertThat(readTurn.getContent()).isEqualTo("Where is my order?");
    assertThat(readTurn.getToolCalls()).isEmpty();
    assertThat(read.getTools()).isEmpty();
    assertThat(read.getCompletion()).isEqualTo("It ships today.");
  }
}
