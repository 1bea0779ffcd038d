package io.sluice.curator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sluice.curator.metrics.CuratorMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the curator topology against a Kafka cluster: {@code start} returns a handle that stops it.
 * Used by {@code sluice curator} and by the quickstart, which passes the embedded broker's address.
 */
public final class CuratorService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CuratorService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;

  private CuratorService(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
    this.streams = streams;
    this.streamsMetrics = streamsMetrics;
  }

  /**
   * Starts the curator.
   *
   * @param config curator settings, Kafka client properties ({@code kafka.*}) included
   * @param registry where counters and drift gauges go
   */
  public static CuratorService start(CuratorConfig config, MeterRegistry registry) {
    KafkaStreams streams =
        new KafkaStreams(
            CuratorTopology.build(config, new CuratorMetrics(registry, config.drift())),
            streamsProperties(config, Map.of()));
    streams.setUncaughtExceptionHandler(
        error -> {
          LOG.error("curator stream thread failed; shutting the curator down", error);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    // Streams' own metrics (process rates, consumer lag of its embedded clients) for the
    // dashboards.
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    streams.start();
    LOG.info("curator {} started against {}", config.applicationId(), config.bootstrapServers());
    return new CuratorService(streams, streamsMetrics);
  }

  /**
   * The Kafka Streams settings: pass-through properties first, then the curator's own keys, then
   * the guarantees Sluice promises (these always win).
   */
  public static Properties streamsProperties(CuratorConfig config, Map<String, Object> kafkaProps) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    // Static membership: Streams suffixes the id with each thread's index.
    config
        .instanceId()
        .ifPresent(
            id ->
                props.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
    props.putAll(kafkaProps);
    // Nothing lost, nothing doubled: reads, state updates and writes commit in one transaction.
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
    // A generated name would change when a node is added and silently orphan state.
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  /** The running Streams client, e.g. to wait for RUNNING or inspect its state. */
  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Ready to process: RUNNING, or REBALANCING (a transient state of a healthy group member, e.g.
   * while another instance joins). Starting, failed and stopped clients are not ready.
   */
  public boolean isReady() {
    KafkaStreams.State state = streams.state();
    return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
  }

  /** Waits until the curator is processing, or throws when it failed or the wait timed out. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (streams.state() == KafkaStreams.State.ERROR
          || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("curator stopped while starting: state " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "curator not running after " + timeout + ": state " + streams.state());
      }
      Thread.sleep(50);
    }
  }

  /**
   * Stops processing, committing the open transaction; the state stays on disk for a restart. The
   * instance leaves its group, so a restart (or another instance) takes over its partitions at once
   * instead of after the session timeout.
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT));
    streamsMetrics.close();
  }
}
