package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ServiceMetersTest {

  @Test
  void shouldExportJvmAndProcessMetrics() {
    PrometheusMeterRegistry registry = ServiceMeters.processRegistry();
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads ")
        .contains("jvm_classes_loaded_classes ")
        .contains("process_cpu_usage ")
        .contains("process_uptime_seconds ")
        .contains("system_cpu_count ");
    registry.close();
  }
}
