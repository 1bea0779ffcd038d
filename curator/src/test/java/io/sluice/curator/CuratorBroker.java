package io.sluice.curator;

import io.sluice.broker.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process broker for the curator's integration tests, one per test class:
 * {@code @RegisterExtension static final CuratorBroker BROKER = new CuratorBroker();} starts it
 * before the class's first test and closes it, data directory included, after its last.
 */
final class CuratorBroker implements BeforeAllCallback, AfterAllCallback {

  private Path dataDir;
  private EmbeddedBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("curator-broker");
    broker = EmbeddedBroker.start(dataDir, 0);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (broker != null) {
      broker.close();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /**
   * The curator's settings against this broker: its application id and state directory, then more.
   */
  CuratorConfig curatorConfig(String applicationId, Path stateDir, Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put(CuratorConfig.APPLICATION_ID_CONFIG, applicationId);
    settings.put(CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    settings.put(CuratorConfig.STATE_DIR_CONFIG, stateDir.toString());
    return CuratorConfig.load(Optional.empty(), Map.of(), settings);
  }

  /**
   * A consumer that reads what the curator committed (read_committed) from the start of each topic,
   * in a group of its own named after {@code reader}.
   */
  KafkaConsumer<String, byte[]> committedReader(String reader) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.GROUP_ID_CONFIG,
            reader + "-" + System.nanoTime()),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
