package io.sluice.curator.drift;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.schemas.avro.DriftReport;
import io.sluice.schemas.avro.DriftStatus;
import io.sluice.schemas.avro.FeatureDriftReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per tenant/track drift of every {@link Feature}, exported as the gauge {@code
 * sluice.curator.drift.psi{tenant,track,feature}} (Prometheus: {@code sluice_curator_drift_psi}).
 *
 * <p>Observations go to in-memory state, which the curator saves per track into a changelogged
 * store at every report interval ({@link #snapshot}) and loads back when a task starts ({@link
 * #restore}): a restarted or moved curator keeps each track's learned reference and recent window,
 * so a drift that began before a restart is still reported after it. Observations since the last
 * save are lost when the task stops (crash, restart, rebalance); at the default interval that is
 * one minute of a window, against several KB written per track per record to save every one.
 */
public final class DriftMonitor {

  /** Name of the PSI gauge (dotted, as Micrometer spells it). */
  public static final String PSI_GAUGE = "sluice.curator.drift.psi";

  /** First byte of a saved track; a later layout gets another. */
  private static final byte FORMAT = 1;

  private final DriftConfig config;
  private final MeterRegistry registry;
  private final Map<String, Map<Feature, FeatureDrift>> tracks = new ConcurrentHashMap<>();

  /**
   * The same features by tenant, then track: {@link #observe} runs several times per curated
   * record, and building the {@code tenant/track} key for every call was a few percent of the
   * curator.
   */
  private final Map<String, Map<String, Map<Feature, FeatureDrift>>> byTenant =
      new ConcurrentHashMap<>();

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

  /** The saved state of a track ({@code tenant/track}), or null when it was never observed. */
  public byte[] snapshot(String trackKey) {
    Map<Feature, FeatureDrift> features = tracks.get(trackKey);
    if (features == null) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeShort(features.size());
      for (Map.Entry<Feature, FeatureDrift> entry : features.entrySet()) {
        out.writeUTF(entry.getKey().tag());
        entry.getValue().save(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Loads a track's saved state; features unknown to this version are skipped. */
  public void restore(String trackKey, byte[] snapshot) {
    int slash = trackKey.indexOf('/');
    if (slash < 0) {
      return; // not a track key: nothing this monitor ever saved
    }
    Map<Feature, FeatureDrift> features =
        tracks.computeIfAbsent(
            trackKey, key -> register(key, key.substring(0, slash), key.substring(slash + 1)));
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
      if (in.readByte() != FORMAT) {
        return;
      }
      int count = in.readShort();
      for (int i = 0; i < count; i++) {
        String tag = in.readUTF();
        FeatureDrift target =
            known(tag)
                ? features.get(Feature.byTag(tag))
                : FeatureDrift.learning(Feature.RATING, 1, 1, 1);
        target.load(in); // an unknown feature is read into a throwaway to skip its bytes
      }
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt drift state of " + trackKey, e);
    }
  }

  /** The drift report of a track, or null when it was never observed. */
  public DriftReport report(String trackKey, long now) {
    Map<Feature, FeatureDrift> features = tracks.get(trackKey);
    if (features == null) {
      return null;
    }
    int slash = trackKey.indexOf('/');
    List<FeatureDriftReport> reports = new ArrayList<>();
    DriftStatus worst = DriftStatus.OK;
    for (Map.Entry<Feature, FeatureDrift> entry : features.entrySet()) {
      FeatureDrift drift = entry.getValue();
      double psi = drift.psi();
      DriftStatus status = status(psi);
      if (status.ordinal() > worst.ordinal()) {
        worst = status;
      }
      reports.add(
          FeatureDriftReport.newBuilder()
              .setFeature(entry.getKey().tag())
              .setPsi(Double.isNaN(psi) ? null : psi)
              .setStatus(status)
              .setReferenceSize(drift.referenceSize())
              .setWindowSize(drift.windowSize())
              .build());
    }
    return DriftReport.newBuilder()
        .setTenant(trackKey.substring(0, slash))
        .setTrack(trackKey.substring(slash + 1))
        .setStatus(worst)
        .setFeatures(reports)
        .setWarnPsi(config.warnPsi())
        .setAlertPsi(config.alertPsi())
        .setReportedAt(Instant.ofEpochMilli(now))
        .build();
  }

  /**
   * OK below the warn threshold (and while learning), WARN from it, ALERT from the alert threshold.
   */
  DriftStatus status(double psi) {
    if (Double.isNaN(psi) || psi < config.warnPsi()) {
      return DriftStatus.OK;
    }
    return psi < config.alertPsi() ? DriftStatus.WARN : DriftStatus.ALERT;
  }

  private static boolean known(String tag) {
    for (Feature feature : Feature.values()) {
      if (feature.tag().equals(tag)) {
        return true;
      }
    }
    return false;
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
    Map<String, Map<Feature, FeatureDrift>> ofTenant = byTenant.get(tenant);
    Map<Feature, FeatureDrift> features = ofTenant == null ? null : ofTenant.get(track);
    if (features == null) {
      features = tracks.computeIfAbsent(tenant + "/" + track, key -> register(key, tenant, track));
      byTenant.computeIfAbsent(tenant, key -> new ConcurrentHashMap<>()).put(track, features);
    }
    return features;
  }

  private Map<Feature, FeatureDrift> register(String key, String tenant, String track) {
    Map<Feature, long[]> baseline = config.baselines().getOrDefault(key, Map.of());
    Map<Feature, FeatureDrift> features = new EnumMap<>(Feature.class);
    for (Feature feature : Feature.values()) {
      long[] pinned = baseline.get(feature);
      FeatureDrift drift =
          pinned != null
              ? FeatureDrift.pinned(feature, pinned, config.windowRecords(), config.epsilon())
              : FeatureDrift.learning(
                  feature, config.referenceRecords(), config.windowRecords(), config.epsilon());
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
