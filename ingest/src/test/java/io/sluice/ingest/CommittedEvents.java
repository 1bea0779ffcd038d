package io.sluice.ingest;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What ingest wrote to the raw topic of the tests' broker, as the curator reads it. */
final class CommittedEvents {

  private CommittedEvents() {}

  /** Every committed record of the raw topic, read from the beginning as the curator reads it. */
  static List<ConsumerRecord<String, RawEvent>> read(
      EmbeddedBroker broker, int atLeast, Duration timeout) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, RawEvent> consumer =
        new KafkaConsumer<>(
            properties, new StringDeserializer(), Topics.EVENTS_RAW.valueSerde().deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < Topics.EVENTS_RAW.partitions(); p++) {
        partitions.add(new TopicPartition(Topics.EVENTS_RAW.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, RawEvent>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        boolean caughtUp = partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
        if (records.size() >= atLeast && caughtUp) {
          break;
        }
      }
      return records;
    }
  }
}
