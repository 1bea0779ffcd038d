package io.sluice.curator;

import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.TopicInstaller;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** The real single-node broker and raw-topic traffic shared by the curator's broker tests. */
final class RawTraffic {

  private static final AvroSerde<RawEvent> RAW = AvroSerde.of(RawEvent.class);

  private RawTraffic() {}

  /** One combined KRaft node with transactions at replication factor 1 and the curator's topics. */
  static KafkaClusterTestKit startCluster() throws Exception {
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      new TopicInstaller(admin).install(List.of(Topics.EVENTS_RAW, Topics.EVENTS_REJECTED, Topics.EXAMPLES_CURATED, Topics.DRIFT));
    }
    return cluster;
  }

  static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /** Sends the event keyed by its track and remembers it in {@code sent} (thread-safe). */
  static void send(KafkaProducer<String, byte[]> producer, RawEvent event, Map<String, RawEvent> sent) {
    synchronized (sent) {
      sent.put(event.getId(), event);
    }
    producer.send(
        new ProducerRecord<>(
            Topics.EVENTS_RAW.name(),
            Topics.trackKey(event.getTenant(), event.getTrack()),
            RAW.serialize(Topics.EVENTS_RAW.name(), event)));
  }

  /** The same event under another id: an exact duplicate of its content. */
  static RawEvent copy(RawEvent original, String id) {
    return RawEvent.newBuilder(original).setId(id).build();
  }
}
