package io.sluice.trainer;

import io.sluice.schemas.avro.CuratedExample;
import org.apache.kafka.common.TopicPartition;

/**
 * A curated train example waiting in its track's window, with its position in the curated topic.
 *
 * @param timestampMs the Kafka record's timestamp (when the curator wrote it)
 * @param arrivedAtMs when this trainer read it (starts the window's max-wait clock)
 */
public record PendingExample(
    TopicPartition partition,
    long offset,
    CuratedExample record,
    long timestampMs,
    long arrivedAtMs) {

  public String trackKey() {
    return io.sluice.schemas.Topics.trackKey(record.getTenant(), record.getTrack());
  }
}
