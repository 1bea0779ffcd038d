package io.sluice.curator;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.filter.FilterVerdict;
import io.sluice.curator.filter.QualityFilter;
import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Stage;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Stage 4: quality rules; a failing candidate goes to the rejected topic with its reason code. */
final class FilterProcessor implements Processor<String, Messages.Governed, String, Object> {

  private final QualityFilter filter;
  private final CuratorMetrics metrics;
  private final Output<Messages.Governed> passed;
  private final Output<RejectedEvent> rejected;
  private ProcessorContext<String, Object> context;

  FilterProcessor(
      QualityFilter filter,
      CuratorMetrics metrics,
      Output<Messages.Governed> passed,
      Output<RejectedEvent> rejected) {
    this.filter = filter;
    this.metrics = metrics;
    this.passed = passed;
    this.rejected = rejected;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Messages.Governed> record) {
    Candidate candidate = record.value().candidate();
    Optional<FilterVerdict> verdict = filter.check(candidate, record.value().normalized());
    if (verdict.isEmpty()) {
      passed.forward(context, record);
      return;
    }
    RejectedEvent rejection =
        Rejections.rejection(
                context,
                record.value(),
                verdict.get().reason(),
                Stage.FILTER,
                candidate.id() + ": " + verdict.get().detail())
            .build();
    metrics.recordRejected(
        candidate.tenant(), candidate.track(), Stage.FILTER, verdict.get().reason());
    rejected.forward(context, Rejections.record(record, rejection, true));
  }
}
