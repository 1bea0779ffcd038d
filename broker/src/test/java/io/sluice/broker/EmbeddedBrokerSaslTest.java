package io.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.broker.EmbeddedBroker.SaslPlain;
import io.sluice.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SASL/PLAIN listener: the right user gets in; a wrong password and no SASL do not. */
class EmbeddedBrokerSaslTest {

  @TempDir Path dataDir;

  @Test
  void shouldServeAuthenticatedClientsAndRefuseOthers() throws Exception {
    SaslPlain users = new SaslPlain(Map.of("alice", "alice-secret"));
    try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, 0, users)) {
      Map<String, Object> alice =
          client(broker, SaslPlain.clientProperties("alice", "alice-secret"));
      try (Admin admin = Admin.create(alice)) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .as("the broker installed the catalog over its own SASL login")
            .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
      }
      Map<String, Object> producer = new HashMap<>(alice);
      producer.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, String> writer =
          new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
        writer
            .send(new ProducerRecord<>(Topics.DRIFT.name(), "acme/t", "over sasl"))
            .get(30, TimeUnit.SECONDS);
      }
      Map<String, Object> consumer = new HashMap<>(alice);
      consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-reader");
      consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaConsumer<String, String> reader =
          new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
        reader.subscribe(List.of(Topics.DRIFT.name()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int read = 0;
        while (read == 0 && System.nanoTime() < deadline) {
          read = reader.poll(Duration.ofMillis(500)).count();
        }
        assertThat(read).isEqualTo(1);
      }

      Map<String, String> wrongPassword = SaslPlain.clientProperties("alice", "not-her-secret");
      try (Admin wrong = Admin.create(client(broker, wrongPassword))) {
        assertThatThrownBy(() -> wrong.describeCluster().nodes().get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(SaslAuthenticationException.class)
            .hasMessageContaining("Invalid username or password");
      }
      try (Admin plain = Admin.create(client(broker, Map.of()))) {
        assertThatThrownBy(
                () ->
                    plain
                        .describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                        .nodes()
                        .get(30, TimeUnit.SECONDS))
            .as("a client without SASL never gets an answer")
            .isInstanceOf(ExecutionException.class);
      }
    }
  }

  @Test
  void shouldRefuseUsersAndPasswordsThatCannotBeWrittenIntoAJaasLine() {
    assertThatThrownBy(() -> new SaslPlain(Map.of())).hasMessageContaining("at least one user");
    assertThatThrownBy(() -> new SaslPlain(Map.of("bad name", "secret")))
        .hasMessageContaining("bad name");
    assertThatThrownBy(() -> new SaslPlain(Map.of("sluice_broker", "secret")))
        .hasMessageContaining("sluice_broker");
    assertThatThrownBy(() -> new SaslPlain(Map.of("bob", "a\"; evil=\"b")))
        .hasMessageContaining("bob")
        .hasMessageContaining("quotes");
    assertThatThrownBy(() -> new SaslPlain(Map.of("bob", ""))).hasMessageContaining("bob");
    assertThat(new SaslPlain(Map.of("bob", "bob-secret")).toString())
        .contains("bob")
        .doesNotContain("bob-secret");
  }

  private static Map<String, Object> client(EmbeddedBroker broker, Map<String, String> sasl) {
    Map<String, Object> props = new HashMap<>(sasl);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return props;
  }
}
