package io.sluice.ingest;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real one-node KRaft cluster (combined broker and controller) with the raw topic created. */
final class KafkaTestCluster implements AutoCloseable {

  final KafkaClusterTestKit kit;

  private KafkaTestCluster(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  static KafkaTestCluster start() throws Exception {
    return start(Map.of());
  }

  /** With extra broker settings. */
  static KafkaTestCluster start(Map<String, String> brokerProps) throws Exception {
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(
            new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
    brokerProps.forEach(builder::setConfigProp);
    KafkaClusterTestKit kit =
        builder
            // One node: internal topics must not ask for more replicas than exist.
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    try (Admin admin = kit.admin()) {
      admin
          .createTopics(
              // The catalog's topic configs, as `sluice topics` and the embedded broker create it.
              List.of(
                  new NewTopic(Topics.EVENTS_RAW.name(), Topics.EVENTS_RAW.partitions(), (short) 1)
                      .configs(Topics.EVENTS_RAW.configs())))
          .all()
          .get();
    }
    return new KafkaTestCluster(kit);
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /** Every committed record of the raw topic, read from the beginning as the curator reads it. */
  List<ConsumerRecord<String, RawEvent>> readCommitted(int atLeast, Duration timeout) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
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
        boolean caughtUp =
            partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
        if (records.size() >= atLeast && caughtUp) {
          break;
        }
      }
      return records;
    }
  }

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
