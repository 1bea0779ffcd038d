package io.sluice.curator.drift;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per tenant/track drift of every {@link Feature}, exported as the gauge {@code
 * sluice.curator.drift.psi{tenant,track,feature}} (Prometheus: {@code sluice_curator_drift_psi}).
 *
 * <p>State is in memory, not in a Streams store, on purpose: exactly-once matters for the data,
 * while a drift gauge is an operator signal that tolerates an instance restart. After a restart a
 * track re-learns its reference from its next observations (or uses its pinned baseline, which is
 * the way to keep a stable reference across restarts).
 */
public final class DriftMonitor {

  /** Name of the PSI gauge (dotted, as Micrometer spells it). */
  public static final String PSI_GAUGE = "sluice.curator.drift.psi";

  private final DriftConfig config;
  private final MeterRegistry registry;
  private final Map<String, Map<Feature, FeatureDrift>> tracks = new ConcurrentHashMap<>();

  public DriftMonitor(DriftConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  /** Records one observation of {@code feature} for the track. */
  public void observe(String tenant, String track, Feature feature, double value) {
    features(tenant, track).get(feature).observe(value);
  }

  /** The current PSI of a track's feature; NaN while its reference is being learned. */
  public double psi(String tenant, String track, Feature feature) {
    return features(tenant, track).get(feature).psi();
  }

  /** The reference bin counts of every feature of every track seen, e.g. to pin as a baseline. */
  public Map<String, Map<Feature, long[]>> references() {
    Map<String, Map<Feature, long[]>> references = new TreeMap<>();
    tracks.forEach(
        (key, features) -> {
          Map<Feature, long[]> counts = new EnumMap<>(Feature.class);
          features.forEach((feature, drift) -> counts.put(feature, drift.referenceCounts()));
          references.put(key, counts);
        });
    return references;
  }

  private Map<Feature, FeatureDrift> features(String tenant, String track) {
    return tracks.computeIfAbsent(tenant + "/" + track, key -> register(key, tenant, track));
  }

  private Map<Feature, FeatureDrift> register(String key, String tenant, String track) {
    Map<Feature, long[]> baseline = config.baselines().getOrDefault(key, Map.of());
    Map<Feature, FeatureDrift> features = new EnumMap<>(Feature.class);
    for (Feature feature : Feature.values()) {
      long[] pinned = baseline.get(feature);
      FeatureDrift drift =
          pinned != null
              ? FeatureDrift.pinned(feature, pinned, config.windowRecords(), config.epsilon())
              : FeatureDrift.learning(feature, config.referenceRecords(), config.windowRecords(), config.epsilon());
      features.put(feature, drift);
      Gauge.builder(PSI_GAUGE, drift, FeatureDrift::psi)
          .description("Population Stability Index of the current window against the reference")
          .tag("tenant", tenant)
          .tag("track", track)
          .tag("feature", feature.tag())
          .register(registry);
    }
    return features;
  }
}
