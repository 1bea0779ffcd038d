package io.sluice.curator;

import io.sluice.curator.metrics.CuratorMetrics;
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
 * value that is not a readable RawEvent is rejected as {@value #UNREADABLE} instead of stopping the
 * app. Its bytes are not copied anywhere (they may be binary and may hold PII); the lineage points
 * at them in the raw topic, which expires. Decoded events are counted in by the validate stage,
 * once their tenant and track are known to be well-formed metric tags.
 */
final class DecodeProcessor implements Processor<String, byte[], String, Object> {

  static final String UNREADABLE = "UNREADABLE";

  /** The catalog's serde: it also reads events written with earlier RawEvent schemas. */
  private final Deserializer<RawEvent> events = Topics.EVENTS_RAW.valueSerde().deserializer();
  private final CuratorMetrics metrics;
  private ProcessorContext<String, Object> context;

  DecodeProcessor(CuratorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    // The key names the track whose drift state this task keeps; the value does not matter there.
    context.forward(record.withValue(null), CuratorTopology.REPORT_DRIFT);
    RawEvent event;
    try {
      event = record.value() == null ? null : events.deserialize(Topics.EVENTS_RAW.name(), record.value());
    } catch (SerializationException e) {
      reject(record, e.getMessage());
      return;
    }
    if (event == null) {
      reject(record, "the record has no value (a tombstone); expected a RawEvent");
      return;
    }
    context.forward(record.withValue(event), CuratorTopology.VALIDATE);
  }

  private void reject(Record<String, byte[]> record, String detail) {
    metrics.recordIn(null, null);
    context.forward(
        record.withValue(new Messages.PendingRejection(null, UNREADABLE, Stage.VALIDATE, detail)),
        CuratorTopology.ANONYMIZE_REJECTED);
  }
}
