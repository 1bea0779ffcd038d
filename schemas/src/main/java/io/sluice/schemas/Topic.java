package io.sluice.schemas;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic of the catalog: its name, how it is laid out, and the serdes of its records.
 *
 * @param name topic name
 * @param partitions partition count used by {@code sluice topics create}
 * @param configs topic-level configs (retention, compaction) applied at creation
 * @param keySerde serde of record keys
 * @param valueSerde serde of record values
 */
public record Topic<K, V>(
    String name,
    int partitions,
    Map<String, String> configs,
    Serde<K> keySerde,
    Serde<V> valueSerde) {

  public Topic {
    Objects.requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "topic " + name + ": partitions must be >= 1 but was " + partitions);
    }
    configs = Map.copyOf(configs);
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
  }
}
