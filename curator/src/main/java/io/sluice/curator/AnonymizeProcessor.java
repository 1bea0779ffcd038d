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
final class AnonymizeProcessor implements Processor<String, Messages.Converted, String, Object> {

  private final EventAnonymizer anonymizer;
  private final CuratorMetrics metrics;
  private ProcessorContext<String, Object> context;

  AnonymizeProcessor(EventAnonymizer anonymizer, CuratorMetrics metrics) {
    this.anonymizer = anonymizer;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Messages.Converted> record) {
    RawEvent source = record.value().event();
    EventAnonymizer.AnonymizedEvent anonymized = anonymizer.anonymize(source);
    metrics.recordPii(source.getTenant(), source.getTrack(), anonymized.piiCounts());
    for (Candidate candidate : record.value().candidates()) {
      Messages.Governed governed =
          new Messages.Governed(
              candidate.mapTexts(anonymized.edit()),
              anonymized.event(),
              anonymized.piiCounts(),
              anonymized.event().getMetadata(),
              source.getTimestamp().toEpochMilli(),
              null,
              new NormalizedTexts());
      context.forward(record.withValue(governed), CuratorTopology.FILTER);
    }
  }
}
