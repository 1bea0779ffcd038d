package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Stage;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.junit.jupiter.api.Test;

class RejectionReasonTest {

  @Test
  void shouldKeepThePublishedReasonCodes() {
    // Metric tags, dashboards, alerts and stored records use these names: never rename one.
    assertThat(Stream.of(RejectionReason.values()).map(RejectionReason::name))
        .containsExactly(
            "UNREADABLE",
            "INVALID_FIELD",
            "MISKEYED",
            "NEGATIVE_FEEDBACK",
            "NEUTRAL_FEEDBACK",
            "EMPTY_FIELD",
            "TOO_SHORT",
            "TOO_LONG",
            "TOO_MANY_SYMBOLS",
            "REPEATED_NGRAMS",
            "CHOSEN_EQUALS_REJECTED",
            "BLOCKLISTED_TERM",
            "DUPLICATE",
            "MALFORMED_JSON",
            "LINE_TOO_LONG",
            "TRAINING_FAILED");
  }

  @Test
  void shouldDocumentEveryCodeInTheAvroSchema() {
    String doc = RejectedEvent.getClassSchema().getField("reason").doc();

    for (RejectionReason reason : RejectionReason.values()) {
      assertThat(doc).as("RejectedEvent.reason doc").containsPattern("\\b" + reason.name() + "\\b");
    }
  }

  @Test
  void shouldWriteTheCodeAsAStringSoAnyCodeStillReads() {
    RejectedEvent rejected =
        RejectionReason.DUPLICATE
            .rejection(Stage.DEDUPLICATE, "e2: same normalized content as e1")
            .setLineage(new Lineage("sluice.events.raw", 0, 7L))
            .setRejectedAt(Instant.EPOCH)
            .build();
    AvroSerde<RejectedEvent> serde = AvroSerde.of(RejectedEvent.class);

    RejectedEvent read = serde.deserialize("t", serde.serialize("t", rejected));

    assertThat(read.getReason()).isEqualTo("DUPLICATE");
    assertThat(read.getPiiCounts()).isEmpty();
    rejected.setReason("SOME_FUTURE_CODE");
    assertThat(serde.deserialize("t", serde.serialize("t", rejected)).getReason())
        .isEqualTo("SOME_FUTURE_CODE");
  }

  @Test
  void shouldRefuseARejectionWithoutLineage() {
    assertThatThrownBy(() -> RejectionReason.UNREADABLE.rejection(Stage.VALIDATE, "x").build())
        .isInstanceOf(AvroRuntimeException.class);
  }
}
