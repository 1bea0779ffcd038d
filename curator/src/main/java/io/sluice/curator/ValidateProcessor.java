package io.sluice.curator;

import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Stage;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.RawEventValidator;
import io.sluice.schemas.event.Violation;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 1: the ingest field rules (with the curator's limits, configured to be at least ingest's),
 * applied again because other producers may write the raw topic, plus the key rule: the record key
 * must be the event's {@code tenant/track}, since per-track dedup state lives on the partition that
 * key selects.
 */
final class ValidateProcessor implements Processor<String, RawEvent, String, Object> {

  private final CuratorMetrics metrics;
  private final EventLimits limits;
  private final Output<RawEvent> validated;
  private final Output<Messages.PendingRejection> rejected;
  private ProcessorContext<String, Object> context;

  ValidateProcessor(
      CuratorMetrics metrics,
      EventLimits limits,
      Output<RawEvent> validated,
      Output<Messages.PendingRejection> rejected) {
    this.metrics = metrics;
    this.limits = limits;
    this.validated = validated;
    this.rejected = rejected;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, RawEvent> record) {
    RawEvent event = record.value();
    List<Violation> violations = RawEventValidator.validate(event, limits);
    if (!violations.isEmpty()) {
      metrics.recordIn(null, null);
      String detail =
          violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
      reject(record, RejectionReason.INVALID_FIELD, detail);
      return;
    }
    metrics.recordIn(event.getTenant(), event.getTrack());
    String expectedKey = Topics.trackKey(event.getTenant(), event.getTrack());
    if (!expectedKey.equals(record.key())) {
      reject(
          record,
          RejectionReason.MISKEYED,
          "record key must be the event's tenant/track \""
              + expectedKey
              + "\" so that a track's records share one partition and its dedup state");
      return;
    }
    validated.forward(context, record);
  }

  private void reject(Record<String, RawEvent> record, RejectionReason reason, String detail) {
    rejected.forward(
        context,
        record.withValue(
            new Messages.PendingRejection(record.value(), reason, Stage.VALIDATE, detail)));
  }
}
