package io.sluice.curator;

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
        .orElseThrow(() -> new IllegalStateException("no source record: lineage is only known while processing one"));
  }

  /** A rejected record; {@code content} and {@code detail} must already be anonymized. */
  static RejectedEvent rejected(
      ProcessorContext<?, ?> context,
      String sourceId,
      String tenant,
      String track,
      String reason,
      Stage stage,
      String detail,
      String duplicateOf,
      String content,
      Map<String, Integer> piiCounts) {
    return RejectedEvent.newBuilder()
        .setSourceId(sourceId)
        .setTenant(tenant)
        .setTrack(track)
        .setReason(reason)
        .setStage(stage)
        .setDetail(detail)
        .setDuplicateOf(duplicateOf)
        .setContent(content)
        .setPiiCounts(Map.copyOf(piiCounts))
        .setLineage(lineage(context))
        .setRejectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
        .build();
  }

  /**
   * The output record for a rejection, keyed by tenant/track like every Sluice topic. Records whose
   * tenant and track were not validated get no key: the input key is untrusted text too.
   */
  static Record<String, Object> record(Record<String, ?> input, RejectedEvent rejected, boolean trusted) {
    String key = trusted ? Topics.trackKey(rejected.getTenant(), rejected.getTrack()) : null;
    return new Record<>(key, rejected, input.timestamp(), input.headers());
  }
}
