package io.sluice.curator;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.dedup.NormalizedTexts;
import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.avro.RawEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 3: replaces PII in the source event and in every candidate derived from it with one
 * anonymizer session, so placeholders agree across the prompt, the answers and the rejected
 * content. Nothing downstream of this processor ever sees raw text.
 */
final class AnonymizeProcessor
    implements Processor<String, Messages.Converted, String, Messages.Governed> {

  private final EventAnonymizer anonymizer;
  private final CuratorMetrics metrics;
  private final Output<Messages.Governed> anonymized;
  private ProcessorContext<String, Messages.Governed> context;

  AnonymizeProcessor(
      EventAnonymizer anonymizer, CuratorMetrics metrics, Output<Messages.Governed> anonymized) {
    this.anonymizer = anonymizer;
    this.metrics = metrics;
    this.anonymized = anonymized;
  }

  @Override
  public void init(ProcessorContext<String, Messages.Governed> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Messages.Converted> record) {
    RawEvent source = record.value().event();
    EventAnonymizer.AnonymizedEvent event = anonymizer.anonymize(source);
    metrics.recordPii(source.getTenant(), source.getTrack(), event.piiCounts());
    for (Candidate candidate : record.value().candidates()) {
      Messages.Governed governed =
          new Messages.Governed(
              candidate.mapTexts(event.edit()),
              event.event(),
              event.piiCounts(),
              event.event().getMetadata(),
              source.getTimestamp().toEpochMilli(),
              null,
              new NormalizedTexts());
      anonymized.forward(context, record.withValue(governed));
    }
  }
}
