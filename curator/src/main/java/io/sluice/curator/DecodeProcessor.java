package io.sluice.curator;

import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Stage;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes raw bytes into a {@link RawEvent}. The raw topic may be written by other producers, so a
 * value that is not a readable RawEvent is rejected as {@link RejectionReason#UNREADABLE} instead
 * of stopping the app. Its bytes are not copied anywhere (they may be binary and may hold PII); the
 * lineage points at them in the raw topic, which expires. Decoded events are counted in by the
 * validate stage, once their tenant and track are known to be well-formed metric tags.
 */
final class DecodeProcessor implements Processor<String, byte[], String, Object> {

  /** The catalog's serde: it also reads events written with earlier RawEvent schemas. */
  private final Deserializer<RawEvent> events = Topics.EVENTS_RAW.valueSerde().deserializer();

  private final CuratorMetrics metrics;
  private final Output<RawEvent> decoded;
  private final Output<Messages.PendingRejection> rejected;
  private final Output<Void> trackKeys;
  private ProcessorContext<String, Object> context;

  /**
   * @param trackKeys where the key of every raw record goes (without its value): the tracks whose
   *     drift state this task keeps
   */
  DecodeProcessor(
      CuratorMetrics metrics,
      Output<RawEvent> decoded,
      Output<Messages.PendingRejection> rejected,
      Output<Void> trackKeys) {
    this.metrics = metrics;
    this.decoded = decoded;
    this.rejected = rejected;
    this.trackKeys = trackKeys;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    trackKeys.forward(context, record.withValue((Void) null));
    RawEvent event;
    try {
      event =
          record.value() == null
              ? null
              : events.deserialize(Topics.EVENTS_RAW.name(), record.value());
    } catch (SerializationException e) {
      reject(record, e.getMessage());
      return;
    }
    if (event == null) {
      reject(record, "the record has no value (a tombstone); expected a RawEvent");
      return;
    }
    decoded.forward(context, record.withValue(event));
  }

  private void reject(Record<String, byte[]> record, String detail) {
    metrics.recordIn(null, null);
    rejected.forward(
        context,
        record.withValue(
            new Messages.PendingRejection(
                null, RejectionReason.UNREADABLE, Stage.VALIDATE, detail)));
  }
}
