package io.sluice.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.MetricsEndpoint;
import io.sluice.config.ServiceMeters;
import io.sluice.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every long-running service command shares: where its settings come from, its metrics, and
 * how it runs until the process is stopped. Every option is optional: in a container the same keys
 * usually arrive as {@code SLUICE_*} environment variables, and the service's config then reports
 * any required key that is still missing, by name.
 */
public final class ServiceOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  private PrometheusMeterRegistry registry;

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

  /** Where the service command reports errors (its command line's standard error). */
  public PrintWriter err() {
    return command.commandLine().getErr();
  }

  /** The process's meter registry, which {@link #serveMetricsUntilStopped} serves. */
  public PrometheusMeterRegistry registry() {
    if (registry == null) {
      registry = ServiceMeters.processRegistry();
    }
    return registry;
  }

  /**
   * Serves {@link #registry()} on {@code port} and prints where; the endpoint and then the service
   * are closed when the process is stopped. When the port cannot be bound, the service is closed
   * first, so that a failed start leaves nothing running.
   *
   * @param portKey the setting that chose the port, named in the error
   * @return counted down once the endpoint and the service are closed
   * @throws IOException naming the port and {@code portKey} when the port cannot be bound
   */
  public CountDownLatch serveMetricsUntilStopped(
      int port, String portKey, BooleanSupplier ready, Runnable closeService) throws IOException {
    MetricsEndpoint endpoint;
    try {
      endpoint = MetricsEndpoint.start(port, registry(), ready);
    } catch (IOException e) {
      closeService.run();
      throw new IOException(
          "cannot serve metrics on port " + port + " (" + portKey + "): " + e.getMessage(), e);
    }
    PrintWriter out = command.commandLine().getOut();
    out.printf(
        "%s metrics: http://localhost:%d/metrics (also /healthz, /readyz)%n",
        command.name(), endpoint.port());
    out.flush();
    return closeOnShutdown(endpoint::close, closeService);
  }

  /**
   * Runs {@code closers} in order when the JVM shuts down (SIGTERM, Ctrl-C), on a thread named
   * {@code <command>-shutdown}.
   *
   * @return counted down once every closer has run
   */
  public CountDownLatch closeOnShutdown(Runnable... closers) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable closeAll =
        () -> {
          for (Runnable closer : closers) {
            closer.run();
          }
          stopped.countDown();
        };
    Runtime.getRuntime().addShutdownHook(new Thread(closeAll, command.name() + "-shutdown"));
    return stopped;
  }

  /** Sets {@code key} to a command's own option, when the option was given (is not null). */
  public static void putGiven(Map<String, String> overrides, String key, Object option) {
    if (option != null) {
      overrides.put(key, option.toString());
    }
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
