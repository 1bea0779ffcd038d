package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RegistryEntry;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.ToolCall;
import io.sluice.schemas.avro.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards schema evolution: every schema must read data written with its released version (kept in
 * src/test/resources/released). When a release changes a schema, copy the new .avsc there.
 */
class SchemaCompatibilityTest {

  /** Shared types come first so that the records naming them parse. */
  private static final List<String> RELEASED_FILES =
      List.of(
          "ChatMessage",
          "Lineage",
          "RawEvent",
          "CuratedExample",
          "RejectedEvent",
          "AdapterCandidate",
          "EvaluationReport",
          "PromotionDecision",
          "RegistryEntry",
          "DriftReport");

  static Stream<Schema> currentSchemas() {
    return Stream.of(
        ChatMessage.getClassSchema(),
        Lineage.getClassSchema(),
        RawEvent.getClassSchema(),
        CuratedExample.getClassSchema(),
        RejectedEvent.getClassSchema(),
        AdapterCandidate.getClassSchema(),
        EvaluationReport.getClassSchema(),
        PromotionDecision.getClassSchema(),
        RegistryEntry.getClassSchema(),
        DriftReport.getClassSchema());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void shouldReadDataWrittenWithTheReleasedSchema(Schema current) throws IOException {
    Schema released = releasedSchemas().get(current.getFullName());
    assertThat(released).as("released copy of %s", current.getFullName()).isNotNull();

    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(current, released);

    assertThat(result.getType())
        .as(
            "%s is not backward compatible: %s",
            current.getName(), result.getResult().getIncompatibilities())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  static Stream<Topic<String, ?>> topics() {
    return Topics.ALL.stream();
  }

  /**
   * Compatible is not enough: a value carries its writer's fingerprint, so a topic whose record
   * changed since the release must register the released schema as a writer (EarlierSchemas), or
   * the data already on the topic stops decoding after the upgrade.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void shouldDecodeValuesTheReleaseWroteOnEachTopic(Topic<String, ?> topic) throws IOException {
    AvroSerde<?> values = (AvroSerde<?>) topic.valueSerde();
    Schema released = releasedSchemas().get(values.readerSchema().getFullName());
    assertThat(released).as("released copy of %s", values.readerSchema().getFullName()).isNotNull();

    assertThat(values.reads(released))
        .as(
            "%s cannot decode values written with the released %s schema",
            topic.name(), values.readerSchema().getName())
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void shouldDocumentEveryRecordAndField(Schema current) {
    assertThat(current.getNamespace()).isEqualTo("io.sluice.schemas.avro");
    assertThat(current.getDoc()).as("doc of %s", current.getName()).isNotBlank();
    for (Schema.Field field : current.getFields()) {
      assertThat(field.doc()).as("doc of %s.%s", current.getName(), field.name()).isNotBlank();
    }
  }

  @org.junit.jupiter.api.Test
  void shouldDocumentTheToolRecords() {
    for (Schema nested : List.of(ToolCall.getClassSchema(), ToolDefinition.getClassSchema())) {
      shouldDocumentEveryRecordAndField(nested);
    }
  }

  private static Map<String, Schema> releasedSchemas() throws IOException {
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> byName = new HashMap<>();
    for (String name : RELEASED_FILES) {
      try (InputStream in =
          SchemaCompatibilityTest.class.getResourceAsStream("/released/" + name + ".avsc")) {
        assertThat(in).as("released/%s.avsc", name).isNotNull();
        Schema schema = parser.parse(in);
        byName.put(schema.getFullName(), schema);
      }
    }
    return byName;
  }
}
