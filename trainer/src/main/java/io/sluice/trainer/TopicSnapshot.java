package io.sluice.trainer;

import io.sluice.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every committed record of a small topic (candidates, registry) from the beginning up to the
 * end offsets seen at the start, outside any consumer group.
 */
final class TopicSnapshot {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicSnapshot() {}

  static <V> void read(
      Map<String, Object> clientProperties, Topic<String, V> topic, Consumer<V> each) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // With read_committed these are the last stable offsets: nothing beyond them is decided yet.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      Map<TopicPartition, Long> remaining = new HashMap<>(end);
      remaining.values().removeIf(v -> v == 0);
      while (!remaining.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            each.accept(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
          }
        }
        remaining.keySet().removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
  }
}
