package io.sluice.trainer;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.OffsetRange;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What published candidates already cover: per track and curated partition, the end of the last
 * trained range. A track's windows follow each other in offset order, so an example of that track
 * below this mark was trained. Read from the candidates topic (read_committed) when partitions are
 * assigned: committed offsets may lag behind a track's trained examples when another track's
 * window on the same partition is still open.
 */
final class CandidateLedger {
  private final Map<String, Map<Integer, Long>> trainedUntil = new HashMap<>();

  boolean covers(String trackKey, TopicPartition partition, long offset) {
    Long until = trainedUntil.getOrDefault(trackKey, Map.of()).get(partition.partition());
    return until != null && offset < until;
  }

  void record(AdapterCandidate candidate) {
    String track = Topics.trackKey(candidate.getTenant(), candidate.getTrack());
    for (OffsetRange range : candidate.getSources()) {
      if (range.getTopic().equals(Topics.EXAMPLES_CURATED.name())) {
        trainedUntil.computeIfAbsent(track, t -> new HashMap<>()).merge(range.getPartition(), range.getUntilOffset(), Math::max);
      }
    }
  }

  /** Reads every committed candidate; bounded by the end offsets seen at the start. */
  static CandidateLedger read(Map<String, Object> clientProperties) {
    CandidateLedger ledger = new CandidateLedger();
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.ADAPTERS_CANDIDATES.name(), Duration.ofSeconds(30))
          .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      Map<TopicPartition, Long> remaining = new HashMap<>(end);
      remaining.values().removeIf(v -> v == 0);
      while (!remaining.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          ledger.record(Topics.ADAPTERS_CANDIDATES.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }
        remaining.keySet().removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
    return ledger;
  }
}
