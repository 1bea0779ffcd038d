package io.sluice.trainer;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.RegistryEntry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The current champion of a track, read from the registry topic (the only source of truth). */
final class Champions {
  private Champions() {}

  static Optional<AdapterRef> current(Map<String, Object> clientProperties, String trackKey) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    Map<String, RegistryEntry> latest = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.ADAPTERS_REGISTRY.name(), Duration.ofSeconds(30))
          .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      Map<TopicPartition, Long> remaining = new HashMap<>(end);
      remaining.values().removeIf(v -> v == 0);
      while (!remaining.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            RegistryEntry entry = Topics.ADAPTERS_REGISTRY.valueSerde().deserializer().deserialize(r.topic(), r.value());
            latest.put(Topics.trackKey(entry.getTenant(), entry.getTrack()), entry);
          }
        }
        remaining.keySet().removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
    return Optional.ofNullable(latest.get(trackKey)).map(RegistryEntry::getActive);
  }
}
