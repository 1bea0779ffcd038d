package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.broker.EmbeddedBroker.SaslPlain;
import io.sluice.ops.CuratorTraffic.Outputs;
import io.sluice.schemas.avro.RawEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice curator} against a broker that accepts only SASL/PLAIN clients, configured as
 * docs/operations.md says: the non-secret client settings as {@code kafka.*} keys in its config
 * file, the secret JAAS line in {@code SLUICE_KAFKA_SASL_JAAS_CONFIG}. With the right password it
 * curates; with a wrong one it stops, saying the broker refused its credentials.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CuratorOverSaslTest {

  private static final String PASSWORD = "curator-secret";

  @TempDir static Path dir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker =
        EmbeddedBroker.start(
            dir.resolve("broker"),
            0,
            new SaslPlain(Map.of("curator", PASSWORD, "app", "app-secret")));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, Object> app() {
    return new HashMap<>(SaslPlain.clientProperties("app", "app-secret"));
  }

  /** The curator's settings file: its own keys and the non-secret Kafka client properties. */
  private static Path configFile(String name) throws Exception {
    return Files.writeString(
        dir.resolve(name + ".yaml"),
        """
        curator:
          application.id: %s
          bootstrap.servers: %s
          state.dir: %s
          metrics.port: 0
        kafka:
          security.protocol: SASL_PLAINTEXT
          sasl.mechanism: PLAIN
        """
            .formatted(name, broker.bootstrapServers(), dir.resolve(name + "-state")));
  }

  private static Map<String, String> credentials(String password) {
    return Map.of(
        "SLUICE_KAFKA_SASL_JAAS_CONFIG",
        SaslPlain.clientProperties("curator", password).get("sasl.jaas.config"));
  }

  @Test
  void shouldCurateOverSaslWithSettingsFromTheFileAndTheEnvironment() throws Exception {
    Set<String> sent = new HashSet<>();
    try (KafkaProducer<String, RawEvent> producer =
            CuratorTraffic.producer(broker.bootstrapServers(), app());
        Outputs outputs = new Outputs(broker.bootstrapServers(), app());
        SluiceProcess curator =
            SluiceProcess.start(
                dir.resolve("right.log"),
                credentials(PASSWORD),
                "curator",
                "--config",
                configFile("sasl-right").toString())) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        RawEvent event = CuratorTraffic.event(i);
        sends.add(CuratorTraffic.send(producer, event));
        sent.add(event.getId());
      }
      CuratorTraffic.flush(producer, sends);
      try {
        outputs.awaitAll(sent, Duration.ofMinutes(2));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + curator.tail(), e);
      }
      assertThat(outputs.counts())
          .hasSize(12)
          .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
      assertThat(curator.isAlive()).isTrue();
    }
  }

  @Test
  void shouldStopWithTheBrokersAuthenticationErrorOnAWrongPassword() throws Exception {
    Path config = configFile("sasl-wrong");
    try (SluiceProcess curator =
        SluiceProcess.start(
            dir.resolve("wrong.log"),
            credentials("not-the-password"),
            "curator",
            "--config",
            config.toString())) {
      int exit = curator.awaitExit(Duration.ofMinutes(2));

      assertThat(exit).as(curator.tail()).isNotZero();
      assertThat(curator.output())
          .contains("Authentication failed")
          .contains("Invalid username or password");
    }
  }
}
