package io.sluice.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The kinds of key several services have, each under its own name ({@code
 * curator.bootstrap.servers}, {@code trainer.metrics.port}, ...): typed, defaulted and validated
 * the same way everywhere, and documented in each service's own words. A service adds them to its
 * {@link ConfigDef} with {@code define(ConfigKey)}, in its documented order.
 */
public final class CommonKeys {

  private static final int MAX_PORT = 65535;

  private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers, `host:port[,host:port...]`.";

  private CommonKeys() {}

  /** Kafka brokers, as {@link #bootstrapServers(String, Object, String)}, with the usual doc. */
  public static ConfigKey bootstrapServers(String name, String defaultValue) {
    return bootstrapServers(name, defaultValue, BOOTSTRAP_SERVERS_DOC);
  }

  /**
   * Kafka brokers, {@code host:port[,host:port...]}: a non-empty string.
   *
   * @param defaultValue the brokers, or {@link ConfigDef#NO_DEFAULT_VALUE} to require the key
   */
  public static ConfigKey bootstrapServers(String name, Object defaultValue, String doc) {
    return key(
        name, Type.STRING, defaultValue, new ConfigDef.NonEmptyString(), Importance.HIGH, doc);
  }

  /** The port of the service's {@link MetricsEndpoint}; 0 picks a free one. */
  public static ConfigKey metricsPort(String name, int defaultPort, String doc) {
    return key(name, Type.INT, defaultPort, Range.between(0, MAX_PORT), Importance.MEDIUM, doc);
  }

  /** The instance's stable name (see {@link InstanceId}); empty by default. */
  public static ConfigKey instanceId(String name, Importance importance, String doc) {
    return key(name, Type.STRING, "", InstanceId.VALIDATOR, importance, doc);
  }

  /**
   * The adapter store directory ({@code <store>/<tenant>/<track>/<adapter-id>/}): the trainer
   * writes it and the evaluator reads it, so both default to the same place.
   */
  public static ConfigKey adapterStore(String name, String doc) {
    return key(
        name, Type.STRING, "data/adapters", new ConfigDef.NonEmptyString(), Importance.HIGH, doc);
  }

  /** The network interface an HTTP server binds: all of them by default. */
  public static ConfigKey host(String name, String doc) {
    return key(
        name, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM, doc);
  }

  /** The port an HTTP server listens on; 0 picks a free one. */
  public static ConfigKey port(String name, int defaultPort, String doc) {
    return key(name, Type.INT, defaultPort, Range.between(0, MAX_PORT), Importance.HIGH, doc);
  }

  private static ConfigKey key(
      String name,
      Type type,
      Object defaultValue,
      ConfigDef.Validator validator,
      Importance importance,
      String doc) {
    return new ConfigDef()
        .define(name, type, defaultValue, validator, importance, doc)
        .configKeys()
        .get(name);
  }
}
