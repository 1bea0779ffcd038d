package io.sluice.trainer;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads committed candidates (or any topic) until a condition holds or time runs out. */
final class Candidates {
  private Candidates() {}

  static List<AdapterCandidate> await(
      String bootstrap, Predicate<List<AdapterCandidate>> done, Duration timeout) {
    return awaitTopic(
        bootstrap,
        Topics.ADAPTERS_CANDIDATES.name(),
        (topic, bytes) ->
            Topics.ADAPTERS_CANDIDATES.valueSerde().deserializer().deserialize(topic, bytes),
        done,
        timeout);
  }

  static <T> List<T> awaitTopic(
      String bootstrap,
      String topic,
      java.util.function.BiFunction<String, byte[], T> decode,
      Predicate<List<T>> done,
      Duration timeout) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            props,
            new StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !done.test(out)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
          out.add(decode.apply(topic, r.value()));
        }
      }
    }
    return out;
  }
}
