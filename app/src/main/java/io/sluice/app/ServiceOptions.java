package io.sluice.app;

import io.sluice.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a long-running service's settings come from. Every option is optional: in a container the
 * same keys usually arrive as {@code SLUICE_*} environment variables, and the service's config then
 * reports any required key that is still missing, by name.
 */
public final class ServiceOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers; overrides the service's bootstrap.servers setting.")
  String bootstrapServers;

  @Option(
      names = "--instance-id",
      paramLabel = "NAME",
      description =
          "This instance's stable name (e.g. the pod name); overrides the service's"
              + " instance.id setting. Restarted under the same name, it resumes at once.")
  String instanceId;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (.properties or .yaml); see docs/configuration.md.")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A setting; repeatable; wins over --config and the environment.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, ...).")
  Path kafkaConfigFile;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description = "Kafka client property; repeatable; overrides --kafka-config.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  public Optional<Path> configFile() {
    return Optional.ofNullable(configFile);
  }

  /**
   * The command line as settings overrides: {@code --set} values, Kafka client properties as {@code
   * kafka.*} pass-through keys, {@code --bootstrap-servers} as {@code bootstrapKey} and {@code
   * --instance-id} as {@code instanceIdKey}.
   */
  public Map<String, String> overrides(String bootstrapKey, String instanceIdKey) {
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    Map<String, String> kafka = new LinkedHashMap<>();
    if (kafkaConfigFile != null) {
      KafkaOptions.readClientConfig(kafkaConfigFile).forEach(kafka::put);
    }
    kafka.putAll(kafkaProperties);
    kafka.forEach((key, value) -> overrides.put(Settings.KAFKA_PREFIX + key, value));
    if (bootstrapServers != null) {
      overrides.put(bootstrapKey, bootstrapServers);
    }
    if (instanceId != null) {
      overrides.put(instanceIdKey, instanceId);
    }
    return overrides;
  }

  /**
   * As {@link #overrides(String, String)} for a service without instance ids (it joins no consumer
   * group): {@code --instance-id} is refused rather than ignored.
   */
  public Map<String, String> overrides(String bootstrapKey) {
    if (instanceId != null) {
      throw new IllegalArgumentException(
          "--instance-id does not apply: this service joins no consumer group");
    }
    return overrides(bootstrapKey, null);
  }
}
