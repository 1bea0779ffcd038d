package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.curator.drift.Feature;
import io.sluice.curator.pii.PiiType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CuratorConfigTest {

  @TempDir Path dir;

  private static CuratorConfig load(Map<String, String> overrides) {
    return CuratorConfig.load(Optional.empty(), Map.of(), overrides);
  }

  @Test
  void shouldApplyTheDocumentedDefaults() {
    CuratorConfig config = CuratorConfig.defaults();

    assertThat(config.applicationId()).isEqualTo("sluice-curator");
    assertThat(config.holdoutFraction()).isEqualTo(0.1);
    assertThat(config.dedup().threshold()).isEqualTo(0.8);
    assertThat(config.dedup().retentionMs()).isEqualTo(30L * 24 * 3600 * 1000);
    assertThat(config.dedup().hashes()).isEqualTo(120);
    assertThat(config.dedup().bands()).isEqualTo(20);
    assertThat(config.filter().minAnswerChars()).isEqualTo(2);
    assertThat(config.pii().types()).containsExactlyInAnyOrder(PiiType.values());
  }

  @Test
  void shouldDefaultEventLimitsToTheIngestDefaultsAndMetricsToPort9464() {
    CuratorConfig config = CuratorConfig.defaults();

    assertThat(config.eventLimits()).isEqualTo(io.sluice.schemas.event.EventLimits.DEFAULT);
    assertThat(config.metricsPort()).isEqualTo(9464);
  }

  @Test
  void shouldReadEventLimitsAndMetricsPort() {
    CuratorConfig config =
        load(
            Map.of(
                CuratorConfig.MAX_ID_LENGTH_CONFIG, "64",
                CuratorConfig.MAX_TEXT_LENGTH_CONFIG, "1000000",
                CuratorConfig.MAX_PROMPT_MESSAGES_CONFIG, "32",
                CuratorConfig.MAX_METADATA_ENTRIES_CONFIG, "8",
                CuratorConfig.MAX_METADATA_KEY_LENGTH_CONFIG, "16",
                CuratorConfig.MAX_METADATA_VALUE_LENGTH_CONFIG, "256",
                CuratorConfig.METRICS_PORT_CONFIG, "0"));

    assertThat(config.eventLimits())
        .isEqualTo(new io.sluice.schemas.event.EventLimits(64, 1_000_000, 32, 8, 16, 256));
    assertThat(config.metricsPort()).isZero();
  }

  @Test
  void shouldReadDriftReportSettingsAndRefuseAnAlertNotAboveTheWarnThreshold() {
    CuratorConfig config =
        load(
            Map.of(
                CuratorConfig.DRIFT_REPORT_INTERVAL_MS_CONFIG, "5000",
                CuratorConfig.DRIFT_WARN_PSI_CONFIG, "0.2",
                CuratorConfig.DRIFT_ALERT_PSI_CONFIG, "0.5"));
    assertThat(config.drift().reportIntervalMs()).isEqualTo(5000);
    assertThat(config.drift().warnPsi()).isEqualTo(0.2);
    assertThat(config.drift().alertPsi()).isEqualTo(0.5);
    assertThat(CuratorConfig.defaults().drift().reportIntervalMs()).isEqualTo(60_000);

    assertThatThrownBy(() -> load(Map.of(CuratorConfig.DRIFT_WARN_PSI_CONFIG, "0.3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.DRIFT_ALERT_PSI_CONFIG);
    assertThatThrownBy(() -> load(Map.of(CuratorConfig.DRIFT_REPORT_INTERVAL_MS_CONFIG, "10")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.DRIFT_REPORT_INTERVAL_MS_CONFIG);
  }

  @Test
  void shouldRejectANonPositiveLimitOrAnInvalidPortByName() {
    assertThatThrownBy(() -> load(Map.of(CuratorConfig.MAX_TEXT_LENGTH_CONFIG, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.MAX_TEXT_LENGTH_CONFIG);
    assertThatThrownBy(() -> load(Map.of(CuratorConfig.METRICS_PORT_CONFIG, "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.METRICS_PORT_CONFIG);
  }

  @Test
  void shouldLetTheEnvironmentAndOverridesWinOverTheFile() throws IOException {
    Path file = dir.resolve("curator.properties");
    Files.writeString(
        file,
        "curator.split.holdout.fraction=0.2\ncurator.filter.blocklist=lorem, ipsum\nkafka.security.protocol=SSL\n");

    CuratorConfig config =
        CuratorConfig.load(
            Optional.of(file),
            Map.of("SLUICE_CURATOR_DEDUP_SHINGLE_WORDS", "5"),
            Map.of(CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9093"));

    assertThat(config.holdoutFraction()).isEqualTo(0.2);
    assertThat(config.filter().blocklist()).containsExactly("lorem", "ipsum");
    assertThat(config.dedup().shingleWords()).isEqualTo(5);
    assertThat(config.bootstrapServers()).isEqualTo("broker:9093");
    assertThat(config.kafka()).containsEntry("security.protocol", "SSL");
  }

  @Test
  void shouldNameTheKeyOfABadValue() {
    assertThatThrownBy(() -> load(Map.of(CuratorConfig.HOLDOUT_FRACTION_CONFIG, "1.5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.HOLDOUT_FRACTION_CONFIG);
    assertThatThrownBy(() -> load(Map.of("curator.dedup.retention", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("curator.dedup.retention");
  }

  @Test
  void shouldRequireHashesToBeAMultipleOfBands() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        CuratorConfig.MINHASH_HASHES_CONFIG,
                        "100",
                        CuratorConfig.LSH_BANDS_CONFIG,
                        "30")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.MINHASH_HASHES_CONFIG)
        .hasMessageContaining(CuratorConfig.LSH_BANDS_CONFIG);
  }

  @Test
  void shouldRefuseInconsistentFilterLimitsNamingTheKeys() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        CuratorConfig.MIN_ANSWER_CHARS_CONFIG,
                        "50",
                        CuratorConfig.MAX_ANSWER_CHARS_CONFIG,
                        "10")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.MAX_ANSWER_CHARS_CONFIG);
  }

  @Test
  void shouldReadAPinnedBaseline() throws IOException {
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(baseline, "{\"acme/support\": {\"pii_rate\": [90, 10]}}");

    CuratorConfig config =
        load(Map.of(CuratorConfig.DRIFT_BASELINE_FILE_CONFIG, baseline.toString()));

    assertThat(config.drift().baselines().get("acme/support").get(Feature.PII_RATE))
        .containsExactly(90, 10);
  }

  @Test
  void shouldRefuseABaselineWithTheWrongNumberOfBins() throws IOException {
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(baseline, "{\"acme/support\": {\"pii_rate\": [90, 10, 3]}}");

    assertThatThrownBy(
            () -> load(Map.of(CuratorConfig.DRIFT_BASELINE_FILE_CONFIG, baseline.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CuratorConfig.DRIFT_BASELINE_FILE_CONFIG)
        .hasMessageContaining("acme/support/pii_rate")
        .hasMessageContaining("2 bin counts");
  }

  @Test
  void passesProducerTuningToTheStreamsProducers() {
    // docs/curator.md, "Throughput": larger batches for a busy broker.
    CuratorConfig config = load(Map.of("kafka.producer.batch.size", "262144"));

    var props = CuratorService.streamsProperties(config, Map.of());

    assertThat(new StreamsConfig(props).getProducerConfigs("client").get("batch.size"))
        .isEqualTo("262144");
  }

  @Test
  void shouldAlwaysRunExactlyOnceWithExplicitNaming() {
    CuratorConfig config = load(Map.of("kafka.processing.guarantee", "at_least_once"));

    var props =
        CuratorService.streamsProperties(
            config, Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once"));

    assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(props.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG))
        .isEqualTo(true);
    assertThat(props.get("producer.acks")).isEqualTo("all");
  }
}
