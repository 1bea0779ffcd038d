package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  private static IngestConfig load(Map<String, String> overrides) {
    return IngestConfig.load(Optional.empty(), Map.of(), overrides);
  }

  @Test
  void shouldApplyDocumentedDefaults() {
    IngestConfig config = load(Map.of(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092"));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.maxEventBytes()).isEqualTo(1024 * 1024);
    assertThat(config.maxBatchBytes()).isEqualTo(32 * 1024 * 1024);
    assertThat(config.maxBatchLines()).isEqualTo(10_000);
    assertThat(config.maxInflightBytes()).isEqualTo(128L * 1024 * 1024);
    assertThat(config.maxJsonDepth()).isEqualTo(32);
    assertThat(config.apiKeys().isOpen()).isTrue();
    assertThat(config.produceTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.instanceId()).isEmpty();
  }

  @Test
  void shouldReadEnvironmentAndKafkaPassThrough() {
    IngestConfig config =
        IngestConfig.load(
            Optional.empty(),
            Map.of(
                "SLUICE_INGEST_BOOTSTRAP_SERVERS", "broker:9092",
                "SLUICE_INGEST_MAX_BATCH_LINES", "500",
                "SLUICE_KAFKA_COMPRESSION_TYPE", "zstd"),
            Map.of());

    assertThat(config.maxBatchLines()).isEqualTo(500);
    assertThat(config.kafkaClientProperties()).containsEntry("compression.type", "zstd");
  }

  @Test
  void shouldRequireBootstrapServers() {
    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IngestConfig.BOOTSTRAP_SERVERS_CONFIG);
  }

  @Test
  void shouldRejectOutOfRangeValueNamingTheKey() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092",
                        IngestConfig.MAX_BATCH_LINES_CONFIG, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IngestConfig.MAX_BATCH_LINES_CONFIG);
  }

  @Test
  void shouldRejectEventLimitThatDerivedRecordsCouldNotFitInTheTopics() {
    String tooLarge = Integer.toString(io.sluice.schemas.Topics.MAX_RECORD_BYTES / 2 + 1);

    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        IngestConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "b:9092",
                        IngestConfig.MAX_EVENT_BYTES_CONFIG,
                        tooLarge)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IngestConfig.MAX_EVENT_BYTES_CONFIG);
  }

  @Test
  void shouldRejectEventLimitAboveBatchLimit() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092",
                        IngestConfig.MAX_EVENT_BYTES_CONFIG, "4096",
                        IngestConfig.MAX_BATCH_BYTES_CONFIG, "2048")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IngestConfig.MAX_EVENT_BYTES_CONFIG)
        .hasMessageContaining(IngestConfig.MAX_BATCH_BYTES_CONFIG);
  }

  @Test
  void shouldRejectInflightLimitBelowBatchLimit() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092",
                        IngestConfig.MAX_EVENT_BYTES_CONFIG, "1024",
                        IngestConfig.MAX_BATCH_BYTES_CONFIG, "8192",
                        IngestConfig.MAX_INFLIGHT_BYTES_CONFIG, "8191")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IngestConfig.MAX_INFLIGHT_BYTES_CONFIG)
        .hasMessageContaining(IngestConfig.MAX_BATCH_BYTES_CONFIG);
  }

  @Test
  void shouldParseApiKeysWithoutEchoingThem() {
    IngestConfig config =
        load(
            Map.of(
                IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092",
                IngestConfig.API_KEYS_CONFIG,
                    "key-one-0123456789=acme|beta, key-two-0123456789=*"));

    assertThat(config.apiKeys().lookup("key-one-0123456789").orElseThrow().allows("beta")).isTrue();
    assertThat(config.apiKeys().lookup("key-one-0123456789").orElseThrow().allows("gamma"))
        .isFalse();
    assertThat(config.apiKeys().lookup("key-two-0123456789").orElseThrow().allows("gamma"))
        .isTrue();
    assertThat(config.apiKeys().lookup("key-three-012345")).isEmpty();
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        IngestConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "b:9092",
                        IngestConfig.API_KEYS_CONFIG,
                        "short=acme")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("entry 1")
        .hasMessageNotContaining("short");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092",
                        IngestConfig.API_KEYS_CONFIG, "key-one-0123456789=Acme")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tenant \"Acme\"");
  }

  @Test
  void shouldMakeProducerSafeAndBounded() {
    IngestConfig config =
        load(
            Map.of(
                IngestConfig.BOOTSTRAP_SERVERS_CONFIG,
                "b:9092",
                IngestConfig.PRODUCE_TIMEOUT_MS_CONFIG,
                "8000",
                "kafka.compression.type",
                "lz4"));

    Map<String, Object> properties = EventWriter.producerProperties(config, "sluice-ingest-a");

    assertThat(properties)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sluice-ingest-a")
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8000)
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000)
        .containsEntry("compression.type", "lz4");
    // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms.
    assertThat((int) properties.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG) + config.lingerMs())
        .isLessThanOrEqualTo(8000);
  }

  @Test
  void shouldRefusePassThroughThatWeakensDurability() {
    IngestConfig config =
        load(Map.of(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092", "kafka.acks", "1"));

    assertThatThrownBy(() -> EventWriter.producerProperties(config, "id"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.acks");
  }
}
