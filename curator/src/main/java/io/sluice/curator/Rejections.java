package io.sluice.curator;

import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Stage;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Builds rejected records and the lineage of the record being processed. */
final class Rejections {

  private Rejections() {}

  /** Kafka position of the raw record being processed. */
  static Lineage lineage(ProcessorContext<?, ?> context) {
    return context
        .recordMetadata()
        .map(meta -> new Lineage(meta.topic(), meta.partition(), meta.offset()))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no source record: lineage is only known while processing one"));
  }

  /**
   * A rejection of the record being processed, with its lineage and time set; the caller adds what
   * it knows of the event. {@code detail} must already be anonymized.
   */
  static RejectedEvent.Builder rejection(
      ProcessorContext<?, ?> context, RejectionReason reason, Stage stage, String detail) {
    return reason
        .rejection(stage, detail)
        .setLineage(lineage(context))
        .setRejectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
  }

  /** A rejection of an anonymized candidate: its source event is the rejection's content. */
  static RejectedEvent.Builder rejection(
      ProcessorContext<?, ?> context,
      Messages.Governed governed,
      RejectionReason reason,
      Stage stage,
      String detail) {
    return rejection(context, reason, stage, detail)
        .setSourceId(governed.candidate().sourceId())
        .setTenant(governed.candidate().tenant())
        .setTrack(governed.candidate().track())
        .setContent(governed.sourceContent())
        .setPiiCounts(Map.copyOf(governed.piiCounts()));
  }

  /**
   * The output record for a rejection, keyed by tenant/track like every Sluice topic. Records whose
   * tenant and track were not validated get no key: the input key is untrusted text too.
   */
  static Record<String, RejectedEvent> record(
      Record<String, ?> input, RejectedEvent rejected, boolean trusted) {
    String key = trusted ? Topics.trackKey(rejected.getTenant(), rejected.getTrack()) : null;
    return new Record<>(key, rejected, input.timestamp(), input.headers());
  }
}
