package io.sluice.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.schemas.avro.RawEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's meters, exposed at GET /metrics. The tenant tag is taken only from accepted events,
 * so with API keys configured its values are bounded by the configured tenants.
 */
final class IngestMetrics {

  private final MeterRegistry registry;

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  void inflight(InflightBytes inflight) {
    Gauge.builder("sluice.ingest.inflight.bytes", inflight, InflightBytes::used)
        .description(
            "Request bytes reserved by requests in progress (limit ingest.max.inflight.bytes)")
        .baseUnit("bytes")
        .register(registry);
  }

  void request(String endpoint, int status) {
    Counter.builder("sluice.ingest.requests")
        .description("HTTP requests by endpoint and status")
        .tag("endpoint", endpoint)
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
  }

  void accepted(List<RawEvent> events) {
    // One increment per tenant and type, not per event: a batch is mostly one tenant's.
    Map<List<String>, Long> counts = new HashMap<>();
    for (RawEvent event : events) {
      counts.merge(List.of(event.getTenant(), event.getType().name()), 1L, Long::sum);
    }
    counts.forEach(
        (tags, count) ->
            Counter.builder("sluice.ingest.events.accepted")
                .description("Events written to sluice.events.raw, by tenant and type")
                .tag("tenant", tags.get(0))
                .tag("type", tags.get(1))
                .register(registry)
                .increment(count));
  }

  void rejected(Problem.Kind kind, int events) {
    Counter.builder("sluice.ingest.events.rejected")
        .description(
            "Events refused, by reason (the problem type); a refused batch counts all its events")
        .tag("reason", kind.reason())
        .register(registry)
        .increment(Math.max(events, 1));
  }
}
