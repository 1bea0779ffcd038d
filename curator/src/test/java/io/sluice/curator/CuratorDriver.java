package io.sluice.curator;

import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The production topology in a TopologyTestDriver, with typed input and output topics. */
final class CuratorDriver implements AutoCloseable {

  static final Instant WALL_CLOCK = Instant.parse("2025-03-02T00:00:00Z");

  final CuratorMetrics metrics;
  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> raw;
  final TestOutputTopic<String, CuratedExample> curated;
  final TestOutputTopic<String, RejectedEvent> rejected;
  final TestOutputTopic<String, DriftReport> drift;
  private final AvroSerde<RawEvent> serde = AvroSerde.of(RawEvent.class);

  CuratorDriver(CuratorConfig config, Path stateDir) {
    metrics = CuratorMetrics.standalone(config.drift());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "curator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(CuratorTopology.build(config, metrics), props, WALL_CLOCK);
    raw = driver.createInputTopic(Topics.EVENTS_RAW.name(), new StringSerializer(), new ByteArraySerializer());
    curated = driver.createOutputTopic(Topics.EXAMPLES_CURATED.name(), new StringDeserializer(), AvroSerde.of(CuratedExample.class));
    rejected = driver.createOutputTopic(Topics.EVENTS_REJECTED.name(), new StringDeserializer(), AvroSerde.of(RejectedEvent.class));
    drift = driver.createOutputTopic(Topics.DRIFT.name(), new StringDeserializer(), AvroSerde.of(DriftReport.class));
  }

  void send(RawEvent event) {
    raw.pipeInput(Topics.trackKey(event.getTenant(), event.getTrack()), serde.serialize("t", event), event.getTimestamp());
  }

  @Override
  public void close() {
    driver.close();
  }
}
