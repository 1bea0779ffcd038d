package io.sluice.curator;

import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.RejectionReason;
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
final class AnonymizeRejectedProcessor
    implements Processor<String, Messages.PendingRejection, String, RejectedEvent> {

  private final EventAnonymizer anonymizer;
  private final CuratorMetrics metrics;
  private final Output<RejectedEvent> rejected;
  private ProcessorContext<String, RejectedEvent> context;

  AnonymizeRejectedProcessor(
      EventAnonymizer anonymizer, CuratorMetrics metrics, Output<RejectedEvent> rejected) {
    this.anonymizer = anonymizer;
    this.metrics = metrics;
    this.rejected = rejected;
  }

  @Override
  public void init(ProcessorContext<String, RejectedEvent> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Messages.PendingRejection> record) {
    Messages.PendingRejection pending = record.value();
    RawEvent event = pending.event();
    boolean trusted = event != null && pending.reason() != RejectionReason.INVALID_FIELD;
    RejectedEvent.Builder rejection;
    if (event == null) {
      String detail = anonymizer.anonymizeText(pending.detail());
      rejection = Rejections.rejection(context, pending.reason(), pending.stage(), detail);
    } else {
      EventAnonymizer.AnonymizedEvent anonymized = anonymizer.anonymize(event, !trusted);
      rejection =
          Rejections.rejection(
                  context,
                  pending.reason(),
                  pending.stage(),
                  anonymized.edit().apply(pending.detail()))
              .setSourceId(anonymized.event().getId())
              .setTenant(anonymized.event().getTenant())
              .setTrack(anonymized.event().getTrack())
              .setContent(NativeEvents.toJsonLine(anonymized.event()))
              .setPiiCounts(Map.copyOf(anonymized.piiCounts()));
      if (trusted) {
        metrics.recordPii(event.getTenant(), event.getTrack(), anonymized.piiCounts());
      }
    }
    metrics.recordRejected(
        trusted ? event.getTenant() : null,
        trusted ? event.getTrack() : null,
        pending.stage(),
        pending.reason());
    rejected.forward(context, Rejections.record(record, rejection.build(), trusted));
  }
}
