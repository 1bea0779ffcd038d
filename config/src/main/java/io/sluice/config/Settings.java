package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A service's settings, gathered once at start-up from three layers, later ones winning: a
 * properties or YAML file, environment variables, and command-line overrides. All layers use the
 * same key names; the environment spells {@code ingest.max.event.bytes} as {@code
 * SLUICE_INGEST_MAX_EVENT_BYTES}. Keys under {@code kafka.} pass through, prefix stripped, to every
 * Kafka client the service makes (SASL, TLS, timeouts). Unknown keys fail fast with their name, so
 * a typo never silently falls back to a default.
 *
 * @param values the service's own keys, typed and validated by its {@link ConfigDef}
 * @param kafkaClientProperties pass-through Kafka client properties, {@code kafka.} prefix removed
 * @param scoped raw values under the service's scoped prefix (e.g. per-track overrides), prefix
 *     kept; the service validates them itself, since their key set is open
 */
public record Settings(
    Map<String, Object> values,
    Map<String, String> kafkaClientProperties,
    Map<String, String> scoped) {

  /** Prefix of keys passed through to Kafka clients. */
  public static final String KAFKA_PREFIX = "kafka.";

  private static final String ENV_PREFIX = "SLUICE_";

  public Settings {
    values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    kafkaClientProperties = Map.copyOf(kafkaClientProperties);
    scoped = java.util.Collections.unmodifiableMap(new TreeMap<>(scoped));
  }

  /** Only the built-in defaults of {@code definition}: no file, environment or overrides. */
  public static Settings defaults(ConfigDef definition) {
    return new Settings(definition.parse(Map.of()), Map.of(), Map.of());
  }

  /**
   * Loads and validates settings.
   *
   * @param definition the service's keys, types, defaults and validators
   * @param envScope environment variables {@code SLUICE_<SCOPE>_*} must name a known key; other
   *     {@code SLUICE_*} variables belong to other services and are ignored (e.g. "ingest")
   * @param file optional properties ({@code .properties}) or YAML ({@code .yaml}/{@code .yml}) file
   * @param environment the process environment
   * @param overrides values given on the command line
   * @throws ConfigException naming the key, for unknown keys and invalid values
   */
  public static Settings load(
      ConfigDef definition,
      String envScope,
      Optional<Path> file,
      Map<String, String> environment,
      Map<String, String> overrides) {
    return load(definition, envScope, file, environment, overrides, null);
  }

  /**
   * As {@link #load(ConfigDef, String, Optional, Map, Map)}, but keys starting with {@code
   * scopedPrefix} (for example {@code trainer.tracks.}) are kept raw in {@link #scoped()} instead
   * of failing as unknown. Environment variables cannot carry them (their names are open).
   */
  public static Settings load(
      ConfigDef definition,
      String envScope,
      Optional<Path> file,
      Map<String, String> environment,
      Map<String, String> overrides,
      String scopedPrefix) {
    Map<String, String> raw = new TreeMap<>();
    if (file.isPresent()) {
      raw.putAll(readFile(file.get()));
    }
    raw.putAll(fromEnvironment(definition, envScope, environment));
    raw.putAll(overrides);

    Map<String, String> own = new TreeMap<>();
    Map<String, String> kafka = new TreeMap<>();
    Map<String, String> scoped = new TreeMap<>();
    raw.forEach(
        (key, value) -> {
          if (scopedPrefix != null && key.startsWith(scopedPrefix)) {
            scoped.put(key, value);
          } else if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
            kafka.put(key.substring(KAFKA_PREFIX.length()), value);
          } else if (definition.names().contains(key)) {
            own.put(key, value);
          } else {
            throw new ConfigException(
                key,
                value,
                "unknown setting; known settings are "
                    + new TreeMap<>(definition.configKeys()).keySet()
                    + " and kafka.* client properties");
          }
        });
    return new Settings(definition.parse(own), kafka, scoped);
  }

  /** The environment variable that sets {@code key}. */
  public static String environmentName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> fromEnvironment(
      ConfigDef definition, String envScope, Map<String, String> environment) {
    Map<String, String> byEnvName = new TreeMap<>();
    definition.names().forEach(key -> byEnvName.put(environmentName(key), key));
    String scopePrefix = ENV_PREFIX + envScope.toUpperCase(Locale.ROOT) + "_";
    String kafkaPrefix = ENV_PREFIX + "KAFKA_";
    Map<String, String> found = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (byEnvName.containsKey(name)) {
            found.put(byEnvName.get(name), value);
          } else if (name.startsWith(kafkaPrefix) && name.length() > kafkaPrefix.length()) {
            String property =
                name.substring(kafkaPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            found.put(KAFKA_PREFIX + property, value);
          } else if (name.startsWith(scopePrefix)) {
            throw new ConfigException(
                name, value, "unknown environment variable; known ones are " + byEnvName.keySet());
          }
        });
    return found;
  }

  private static Map<String, String> readFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return readYaml(file);
      }
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      Map<String, String> values = new TreeMap<>();
      properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
      return values;
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Nested YAML maps flatten to dotted keys, so {@code ingest: {port: 8080}} is {@code
   * ingest.port}.
   */
  private static Map<String, String> readYaml(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    Map<String, String> values = new TreeMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return values;
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "config file " + file + " must be a YAML mapping of keys to values");
    }
    flatten("", root, values, file);
    return values;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into, Path file) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key, value, into, file);
      } else if (value.isArray()) {
        StringBuilder joined = new StringBuilder();
        value.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item.asText()));
        into.put(key, joined.toString());
      } else if (value.isNull()) {
        throw new ConfigException(key, null, "has no value in " + file);
      } else {
        into.put(key, value.asText());
      }
    }
  }
}
