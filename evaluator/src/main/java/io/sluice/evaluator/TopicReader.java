package io.sluice.evaluator;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/** Reading assigned partitions up to their current end, for state rebuilt from topics. */
public final class TopicReader {
  private TopicReader() {}

  /** Every partition of {@code topic}; fails when the topic does not exist. */
  public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + topic + " does not exist; run `sluice topics create` first");
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  /**
   * Polls until every assigned partition's position reaches the end it had when called (the last
   * stable offset under read_committed), handing each record to {@code sink}.
   *
   * @return records handed over
   * @throws TimeoutException when the end is not reached within {@code limit}
   */
  public static <V> int catchUp(
      KafkaConsumer<String, V> consumer, Duration limit, Consumer<ConsumerRecord<String, V>> sink) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + limit.toNanos();
    int count = 0;
    Set<TopicPartition> pending = new HashSet<>(end.keySet());
    pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
    while (!pending.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("could not read " + pending + " to their end within " + limit);
      }
      for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
        sink.accept(record);
        count++;
      }
      pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
    }
    return count;
  }
}
