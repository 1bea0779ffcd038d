package io.sluice.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Ingest settings for tests: an ephemeral port and short timeouts. */
final class TestConfigs {

  private TestConfigs() {}

  static IngestConfig ingest(String bootstrapServers, Map<String, String> extra) {
    Map<String, String> overrides = new HashMap<>();
    overrides.put(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    overrides.put(IngestConfig.PORT_CONFIG, "0");
    overrides.put(IngestConfig.HOST_CONFIG, "127.0.0.1");
    overrides.put(IngestConfig.PRODUCE_TIMEOUT_MS_CONFIG, "5000");
    overrides.put(IngestConfig.READINESS_TIMEOUT_MS_CONFIG, "1000");
    overrides.putAll(extra);
    return IngestConfig.load(Optional.empty(), Map.of(), overrides);
  }
}
