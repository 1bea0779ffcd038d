package io.sluice.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * How a command reaches a Kafka cluster: the bootstrap address plus any client property (SASL, TLS,
 * timeouts), from a properties file and/or repeated {@code -X key=value} options, the latter
 * winning.
 */
public final class KafkaOptions {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers, comma-separated.")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, ...).")
  Path clientConfigFile;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description = "Kafka client property; repeatable; overrides --kafka-config.")
  Map<String, String> clientProperties = new LinkedHashMap<>();

  /** Client properties for an admin client, producer or consumer. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    if (clientConfigFile != null) {
      properties.putAll(readClientConfig(clientConfigFile));
    }
    properties.putAll(clientProperties);
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return properties;
  }

  /** A Kafka client properties file, as given to {@code --kafka-config}. */
  static Map<String, String> readClientConfig(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read --kafka-config " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
    return values;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }
}
