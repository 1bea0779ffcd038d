package io.sluice.curator;

import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The production topology ({@link CuratorTopology#build}) with the production Streams settings,
 * minus a broker, on a {@link TopologyTestDriver}: offline {@code sluice curate} runs on it, and so
 * do the topology tests, so both run what the service runs.
 */
public final class OfflineTopology implements AutoCloseable {

  private final CuratorMetrics metrics;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> raw;
  private final TestOutputTopic<String, CuratedExample> curated;
  private final TestOutputTopic<String, RejectedEvent> rejected;
  private final TestOutputTopic<String, DriftReport> drift;
  private final AvroSerde<RawEvent> rawSerde = AvroSerde.of(RawEvent.class);

  /**
   * @param stateDir where the topology's stores live while it runs
   * @param wallClock the driver's wall-clock time at start
   */
  public OfflineTopology(CuratorConfig config, Path stateDir, Instant wallClock) {
    metrics = CuratorMetrics.standalone(config.drift());
    // The driver never connects anywhere: the bootstrap address is never used.
    Properties props =
        CuratorService.streamsProperties(
            config,
            Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG,
                config.applicationId() + "-offline",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "offline:9092",
                StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString()));
    driver = new TopologyTestDriver(CuratorTopology.build(config, metrics), props, wallClock);
    raw =
        driver.createInputTopic(
            Topics.EVENTS_RAW.name(), new StringSerializer(), new ByteArraySerializer());
    curated = output(Topics.EXAMPLES_CURATED);
    rejected = output(Topics.EVENTS_REJECTED);
    drift = output(Topics.DRIFT);
  }

  private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
    return driver.createOutputTopic(
        topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  /** Pipes {@code event} into the raw topic under its track key, at its own timestamp. */
  public void send(RawEvent event) {
    raw.pipeInput(
        Topics.trackKey(event.getTenant(), event.getTrack()),
        rawSerde.serialize(Topics.EVENTS_RAW.name(), event),
        event.getTimestamp());
  }

  /** The metrics the topology records into. */
  public CuratorMetrics metrics() {
    return metrics;
  }

  /** The driver itself, to move its wall clock or read a store. */
  public TopologyTestDriver driver() {
    return driver;
  }

  /** The raw topic, for input {@link #send} cannot express (e.g. undecodable bytes). */
  public TestInputTopic<String, byte[]> raw() {
    return raw;
  }

  public TestOutputTopic<String, CuratedExample> curated() {
    return curated;
  }

  public TestOutputTopic<String, RejectedEvent> rejected() {
    return rejected;
  }

  public TestOutputTopic<String, DriftReport> drift() {
    return drift;
  }

  @Override
  public void close() {
    driver.close();
  }
}
