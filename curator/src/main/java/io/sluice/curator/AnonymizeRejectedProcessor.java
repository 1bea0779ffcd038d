package io.sluice.curator;

import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.event.NativeEvents;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Anonymizes rejections decided before stage 3 (unreadable, invalid, miskeyed, non-training
 * feedback), so raw PII never reaches the rejected topic either. For events that failed field
 * validation, id, tenant and track are untrusted free text and are anonymized too.
 */
final class AnonymizeRejectedProcessor implements Processor<String, Messages.PendingRejection, String, Object> {

  private final EventAnonymizer anonymizer;
  private final CuratorMetrics metrics;
  private ProcessorContext<String, Object> context;

  AnonymizeRejectedProcessor(EventAnonymizer anonymizer, CuratorMetrics metrics) {
    this.anonymizer = anonymizer;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Messages.PendingRejection> record) {
    Messages.PendingRejection pending = record.value();
    RawEvent event = pending.event();
    RejectedEvent rejected;
    boolean trusted = event != null && !ValidateProcessor.INVALID_FIELD.equals(pending.reason());
    if (event == null) {
      rejected =
          Rejections.rejected(
              context, null, null, null, pending.reason(), pending.stage(),
              anonymizer.anonymizeText(pending.detail()), null, null, Map.of());
    } else {
      EventAnonymizer.AnonymizedEvent anonymized = anonymizer.anonymize(event, !trusted);
      rejected =
          Rejections.rejected(
              context,
              anonymized.event().getId(),
              anonymized.event().getTenant(),
              anonymized.event().getTrack(),
              pending.reason(),
              pending.stage(),
              anonymized.edit().apply(pending.detail()),
              null,
              NativeEvents.toJsonLine(anonymized.event()),
              anonymized.piiCounts());
      if (trusted) {
        metrics.recordPii(event.getTenant(), event.getTrack(), anonymized.piiCounts());
      }
    }
    metrics.recordRejected(
        trusted ? event.getTenant() : null, trusted ? event.getTrack() : null, pending.stage().name(), pending.reason());
    context.forward(Rejections.record(record, rejected, trusted), CuratorTopology.REJECTED_SINK);
  }
}
