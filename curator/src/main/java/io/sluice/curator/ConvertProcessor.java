package io.sluice.curator;

import io.sluice.curator.convert.Conversion;
import io.sluice.curator.convert.FeedbackConverter;
import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Stage;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 2: events into training candidates ({@link FeedbackConverter}): a down-vote becomes an
 * UNDESIRABLE vote record; only a neutral rating is rejected. Every rating is counted for drift.
 */
final class ConvertProcessor implements Processor<String, RawEvent, String, Object> {

  private final FeedbackConverter converter = new FeedbackConverter();
  private final CuratorMetrics metrics;
  private final Output<Messages.Converted> converted;
  private final Output<Messages.PendingRejection> rejected;
  private ProcessorContext<String, Object> context;

  ConvertProcessor(
      CuratorMetrics metrics,
      Output<Messages.Converted> converted,
      Output<Messages.PendingRejection> rejected) {
    this.metrics = metrics;
    this.converted = converted;
    this.rejected = rejected;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, RawEvent> record) {
    RawEvent event = record.value();
    if (event.getType() == EventType.feedback) {
      metrics.recordRating(event.getTenant(), event.getTrack(), stars(event.getRating()));
    }
    Conversion conversion = converter.convert(event);
    if (conversion.isTrainingData()) {
      converted.forward(
          context, record.withValue(new Messages.Converted(event, conversion.candidates())));
    } else {
      rejected.forward(
          context,
          record.withValue(
              new Messages.PendingRejection(
                  event, conversion.reason(), Stage.CONVERT, conversion.detail())));
    }
  }

  /** A validated rating on the 1..5 scale: "down" is 1 and "up" is 5. */
  static int stars(Object rating) {
    if (rating instanceof Integer value) {
      return value;
    }
    return "up".equals(String.valueOf(rating)) ? 5 : 1;
  }
}
