package io.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.TopicInstaller;
import io.sluice.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

  @TempDir Path dataDir;

  @Test
  void shouldCreateTheCatalogAndKeepDataAcrossRestartsWithTransactions() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, 0)) {
      try (Admin admin = admin(broker)) {
        assertThat(admin.listTopics().names().get())
            .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
        Config registry =
            admin
                .describeConfigs(
                    List.of(
                        new ConfigResource(
                            ConfigResource.Type.TOPIC, Topics.ADAPTERS_REGISTRY.name())))
                .all()
                .get()
                .values()
                .iterator()
                .next();
        assertThat(registry.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        assertThat(
                admin
                    .describeTopics(List.of(Topics.EVENTS_RAW.name()))
                    .allTopicNames()
                    .get()
                    .get(Topics.EVENTS_RAW.name())
                    .partitions())
            .hasSize(Topics.EVENTS_RAW.partitions());
      }
      try (KafkaProducer<String, String> producer = transactionalProducer(broker)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.EVENTS_RAW.name(), 0, "acme/t", "kept")).get();
        producer.commitTransaction();
      }
    }

    try (EmbeddedBroker restarted = EmbeddedBroker.start(dataDir, 0)) {
      assertThat(readAll(restarted, Topics.EVENTS_RAW.name())).containsExactly("kept");
    }
  }

  @Test
  void shouldInstallTopicsIdempotentlyAndReportPartitionDrift() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, 0);
        Admin admin = admin(broker)) {
      admin
          .createPartitions(Map.of(Topics.EVENTS_REJECTED.name(), NewPartitions.increaseTo(5)))
          .all()
          .get();
      awaitPartitions(admin, Topics.EVENTS_REJECTED.name(), 5);

      List<TopicInstaller.Result> again = new TopicInstaller(admin).install();

      assertThat(again).hasSize(Topics.ALL.size());
      assertThat(again).allMatch(r -> r.outcome() == TopicInstaller.Outcome.UPDATED);
      assertThat(
              again.stream().filter(r -> r.warning().isPresent()).map(TopicInstaller.Result::topic))
          .containsExactly(Topics.EVENTS_REJECTED.name());
    }
  }

  private static void awaitPartitions(Admin admin, String topic, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size()
        != count) {
      assertThat(System.nanoTime())
          .as("partitions of %s never reached %d", topic, count)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void shouldApplyBrokerSettingsOverTheDefaults() throws Exception {
    String abortCheck = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    String rebalanceDelay = "group.initial.rebalance.delay.ms";
    try (EmbeddedBroker broker =
            EmbeddedBroker.start(dataDir, 0, Map.of(abortCheck, "1500", rebalanceDelay, "7"));
        Admin admin = admin(broker)) {
      ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
      Config config = admin.describeConfigs(List.of(node)).all().get().get(node);

      assertThat(config.get(abortCheck).value()).isEqualTo("1500");
      assertThat(config.get(rebalanceDelay).value()).isEqualTo("7");
      assertThat(admin.listTopics().names().get()).contains(Topics.EVENTS_RAW.name());
    }
  }

  private static Admin admin(EmbeddedBroker broker) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static KafkaProducer<String, String> transactionalProducer(EmbeddedBroker broker) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-test",
            ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<String> readAll(EmbeddedBroker broker, String topic) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
