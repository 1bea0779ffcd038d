package io.sluice.curator;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.CommonKeys;
import io.sluice.config.CrossKeyRule;
import io.sluice.config.InstanceId;
import io.sluice.config.Settings;
import io.sluice.curator.dedup.DedupConfig;
import io.sluice.curator.drift.DriftConfig;
import io.sluice.curator.drift.Feature;
import io.sluice.curator.filter.FilterConfig;
import io.sluice.curator.pii.PiiConfig;
import io.sluice.schemas.event.EventLimitSettings;
import io.sluice.schemas.event.EventLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The curator's settings, read once at start-up (file, then {@code SLUICE_CURATOR_*} environment,
 * then command-line overrides) and frozen into this record. Every key is documented in
 * docs/configuration.md under "curator"; the {@code curator.pii.*} keys belong to {@link
 * PiiConfig}.
 *
 * @param eventLimits field limits of stage 1 (validate); must be at least the ingest service's
 * @param metricsPort port of the HTTP metrics and health endpoint of {@code sluice curator}; 0 =
 *     any free port
 * @param instanceId the main consumer's {@code group.instance.id}; empty: dynamic membership
 * @param kafka pass-through Kafka client properties ({@code kafka.*} keys, prefix removed)
 */
public record CuratorConfig(
    String applicationId,
    String bootstrapServers,
    Path stateDir,
    int streamThreads,
    long commitIntervalMs,
    FilterConfig filter,
    DedupConfig dedup,
    long dedupSweepIntervalMs,
    double holdoutFraction,
    DriftConfig drift,
    PiiConfig pii,
    int offlineMaxLineBytes,
    EventLimits eventLimits,
    int metricsPort,
    Map<String, String> kafka,
    Optional<String> instanceId) {

  public static final String APPLICATION_ID_CONFIG = "curator.application.id";
  public static final String BOOTSTRAP_SERVERS_CONFIG = "curator.bootstrap.servers";
  public static final String STATE_DIR_CONFIG = "curator.state.dir";
  public static final String STREAM_THREADS_CONFIG = "curator.stream.threads";
  public static final String COMMIT_INTERVAL_MS_CONFIG = "curator.commit.interval.ms";
  public static final String MIN_PROMPT_CHARS_CONFIG = "curator.filter.min.prompt.chars";
  public static final String MAX_PROMPT_CHARS_CONFIG = "curator.filter.max.prompt.chars";
  public static final String MIN_ANSWER_CHARS_CONFIG = "curator.filter.min.answer.chars";
  public static final String MAX_ANSWER_CHARS_CONFIG = "curator.filter.max.answer.chars";
  public static final String MAX_SYMBOL_RATIO_CONFIG = "curator.filter.max.symbol.ratio";
  public static final String SYMBOL_RATIO_MIN_CHARS_CONFIG =
      "curator.filter.symbol.ratio.min.chars";
  public static final String REPEATED_NGRAM_WORDS_CONFIG = "curator.filter.repeated.ngram.words";
  public static final String MAX_REPEATED_NGRAM_RATIO_CONFIG =
      "curator.filter.max.repeated.ngram.ratio";
  public static final String REPEATED_NGRAM_MIN_WORDS_CONFIG =
      "curator.filter.repeated.ngram.min.words";
  public static final String BLOCKLIST_CONFIG = "curator.filter.blocklist";
  public static final String SHINGLE_WORDS_CONFIG = "curator.dedup.shingle.words";
  public static final String MINHASH_HASHES_CONFIG = "curator.dedup.minhash.hashes";
  public static final String LSH_BANDS_CONFIG = "curator.dedup.lsh.bands";
  public static final String SIMILARITY_THRESHOLD_CONFIG = "curator.dedup.similarity.threshold";
  public static final String RETENTION_MS_CONFIG = "curator.dedup.retention.ms";
  public static final String MAX_ENTRIES_PER_TRACK_CONFIG = "curator.dedup.max.entries.per.track";
  public static final String MAX_CANDIDATES_CONFIG = "curator.dedup.max.candidates";
  public static final String SWEEP_INTERVAL_MS_CONFIG = "curator.dedup.sweep.interval.ms";
  public static final String HOLDOUT_FRACTION_CONFIG = "curator.split.holdout.fraction";
  public static final String DRIFT_REFERENCE_RECORDS_CONFIG = "curator.drift.reference.records";
  public static final String DRIFT_WINDOW_RECORDS_CONFIG = "curator.drift.window.records";
  public static final String DRIFT_EPSILON_CONFIG = "curator.drift.psi.epsilon";
  public static final String DRIFT_BASELINE_FILE_CONFIG = "curator.drift.baseline.file";
  public static final String DRIFT_REPORT_INTERVAL_MS_CONFIG = "curator.drift.report.interval.ms";
  public static final String DRIFT_WARN_PSI_CONFIG = "curator.drift.warn.psi";
  public static final String DRIFT_ALERT_PSI_CONFIG = "curator.drift.alert.psi";

  private static final String LIMIT_DOC_SUFFIX =
      " Same meaning as the ingest service's key of the same name; **must be ≥ the ingest"
          + " service's value**, or events ingest accepted are rejected here as `INVALID_FIELD`.";

  private static final EventLimitSettings LIMITS = new EventLimitSettings("curator.");
  public static final String MAX_ID_LENGTH_CONFIG = LIMITS.idLength();
  public static final String MAX_TEXT_LENGTH_CONFIG = LIMITS.textLength();
  public static final String MAX_PROMPT_MESSAGES_CONFIG = LIMITS.promptMessages();
  public static final String MAX_METADATA_ENTRIES_CONFIG = LIMITS.metadataEntries();
  public static final String MAX_METADATA_KEY_LENGTH_CONFIG = LIMITS.metadataKeyLength();
  public static final String MAX_METADATA_VALUE_LENGTH_CONFIG = LIMITS.metadataValueLength();

  public static final String METRICS_PORT_CONFIG = "curator.metrics.port";
  public static final String INSTANCE_ID_CONFIG = "curator.instance.id";
  public static final String OFFLINE_MAX_LINE_BYTES_CONFIG = "curator.offline.max.line.bytes";

  public static final ConfigDef CONFIG_DEF = definition();

  public CuratorConfig {
    kafka = Map.copyOf(kafka);
  }

  private static ConfigDef definition() {
    FilterConfig filter = FilterConfig.defaults();
    DedupConfig dedup = DedupConfig.defaults();
    DriftConfig drift = DriftConfig.defaults();
    return PiiConfig.define(LIMITS.define(new ConfigDef(), LIMIT_DOC_SUFFIX))
        .define(
            APPLICATION_ID_CONFIG,
            Type.STRING,
            "sluice-curator",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Kafka Streams `application.id`: consumer group, transactional ids and changelog"
                + " topic names. Changing it starts from scratch with empty dedup state.")
        .define(CommonKeys.bootstrapServers(BOOTSTRAP_SERVERS_CONFIG, "localhost:9092"))
        .define(
            STATE_DIR_CONFIG,
            Type.STRING,
            "data/curator",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Local state store directory (RocksDB). Keep it across restarts to avoid restoring"
                + " the dedup store from its changelog.")
        .define(
            STREAM_THREADS_CONFIG,
            Type.INT,
            1,
            between(1, 64),
            MEDIUM,
            "Stream threads; more than the 6 partitions of `sluice.events.raw` leaves threads"
                + " idle.")
        .define(
            COMMIT_INTERVAL_MS_CONFIG,
            Type.LONG,
            100L,
            atLeast(1),
            MEDIUM,
            "Transaction commit interval: the latency added before `read_committed` readers see"
                + " output.")
        .define(
            MIN_PROMPT_CHARS_CONFIG,
            Type.INT,
            filter.minPromptChars(),
            atLeast(1),
            MEDIUM,
            "Fewest non-whitespace characters in a prompt (all turns).")
        .define(
            MAX_PROMPT_CHARS_CONFIG,
            Type.INT,
            filter.maxPromptChars(),
            atLeast(1),
            MEDIUM,
            "Most characters in a prompt (all turns). At least `curator.filter.min.prompt.chars`.")
        .define(
            MIN_ANSWER_CHARS_CONFIG,
            Type.INT,
            filter.minAnswerChars(),
            atLeast(1),
            MEDIUM,
            "Fewest non-whitespace characters in a completion, chosen or rejected answer.")
        .define(
            MAX_ANSWER_CHARS_CONFIG,
            Type.INT,
            filter.maxAnswerChars(),
            atLeast(1),
            MEDIUM,
            "Most characters in one answer. At least `curator.filter.min.answer.chars`.")
        .define(
            MAX_SYMBOL_RATIO_CONFIG,
            Type.DOUBLE,
            filter.maxSymbolRatio(),
            between(0, 1),
            MEDIUM,
            "Largest share of non-whitespace characters that are neither letters nor digits.")
        .define(
            SYMBOL_RATIO_MIN_CHARS_CONFIG,
            Type.INT,
            filter.symbolRatioMinChars(),
            atLeast(1),
            LOW,
            "Texts with fewer non-whitespace characters are not judged by symbol ratio.")
        .define(
            REPEATED_NGRAM_WORDS_CONFIG,
            Type.INT,
            filter.repeatedNgramWords(),
            between(1, 16),
            LOW,
            "n of the word n-grams checked for repetition.")
        .define(
            MAX_REPEATED_NGRAM_RATIO_CONFIG,
            Type.DOUBLE,
            filter.maxRepeatedNgramRatio(),
            between(0, 1),
            MEDIUM,
            "Largest share of a text's word n-grams that repeat an earlier one.")
        .define(
            REPEATED_NGRAM_MIN_WORDS_CONFIG,
            Type.INT,
            filter.repeatedNgramMinWords(),
            atLeast(1),
            LOW,
            "Texts with fewer words are not judged for repetition. At least"
                + " `curator.filter.repeated.ngram.words`.")
        .define(
            BLOCKLIST_CONFIG,
            Type.LIST,
            "",
            MEDIUM,
            "Terms that disqualify a record, matched as whole words after normalization.")
        .define(
            SHINGLE_WORDS_CONFIG,
            Type.INT,
            dedup.shingleWords(),
            between(1, 16),
            MEDIUM,
            "Words per MinHash shingle.")
        .define(
            MINHASH_HASHES_CONFIG,
            Type.INT,
            dedup.hashes(),
            between(1, 1024),
            MEDIUM,
            "MinHash signature length. A multiple of `curator.dedup.lsh.bands`.")
        .define(
            LSH_BANDS_CONFIG,
            Type.INT,
            dedup.bands(),
            between(1, 1024),
            MEDIUM,
            "LSH bands (rows per band = hashes / bands).")
        .define(
            SIMILARITY_THRESHOLD_CONFIG,
            Type.DOUBLE,
            dedup.threshold(),
            between(0.01, 1),
            MEDIUM,
            "Estimated Jaccard similarity at or above which a record is a near-duplicate.")
        .define(
            RETENTION_MS_CONFIG,
            Type.LONG,
            dedup.retentionMs(),
            atLeast(1),
            MEDIUM,
            "Event-time window in which a record counts as a duplicate of an earlier one.")
        .define(
            MAX_ENTRIES_PER_TRACK_CONFIG,
            Type.INT,
            dedup.maxEntriesPerScope(),
            atLeast(1),
            MEDIUM,
            "Most records remembered per tenant/track and kind (about 0.8 KB of store and 0.9 KB"
                + " of heap each); the oldest go first.")
        .define(
            MAX_CANDIDATES_CONFIG,
            Type.INT,
            dedup.maxCandidates(),
            between(1, 100_000),
            LOW,
            "Most LSH candidates whose signatures are compared per record; bounds a lookup's cost"
                + " in dense, templated tracks, at the risk of missing a match beyond them.")
        .define(
            SWEEP_INTERVAL_MS_CONFIG,
            Type.LONG,
            Duration.ofMinutes(10).toMillis(),
            atLeast(1000),
            LOW,
            "Wall-clock interval of the sweep that expires entries of idle tracks.")
        .define(
            HOLDOUT_FRACTION_CONFIG,
            Type.DOUBLE,
            0.1,
            between(0, 1),
            MEDIUM,
            "Share of curated records assigned to the holdout split.")
        .define(
            DRIFT_REFERENCE_RECORDS_CONFIG,
            Type.INT,
            drift.referenceRecords(),
            atLeast(1),
            LOW,
            "Observations per feature forming a track's learned reference.")
        .define(
            DRIFT_WINDOW_RECORDS_CONFIG,
            Type.INT,
            drift.windowRecords(),
            between(1, 1_000_000),
            LOW,
            "Observations per feature in the rolling window.")
        .define(
            DRIFT_EPSILON_CONFIG,
            Type.DOUBLE,
            drift.epsilon(),
            between(1e-12, 1),
            LOW,
            "Smoothing added to every bin before PSI.")
        .define(
            DRIFT_REPORT_INTERVAL_MS_CONFIG,
            Type.LONG,
            drift.reportIntervalMs(),
            between(100L, 86_400_000L),
            LOW,
            "How often (wall clock) each track's drift state is saved to `curator-drift-store`"
                + " and its `DriftReport` published to `sluice.drift`.")
        .define(
            DRIFT_WARN_PSI_CONFIG,
            Type.DOUBLE,
            drift.warnPsi(),
            between(1e-6, 100),
            LOW,
            "PSI from which a feature's drift status is `WARN`.")
        .define(
            DRIFT_ALERT_PSI_CONFIG,
            Type.DOUBLE,
            drift.alertPsi(),
            between(1e-6, 100),
            LOW,
            "PSI from which it is `ALERT`; a value not above the warn threshold fails start-up"
                + " naming `curator.drift.alert.psi`.")
        .define(
            DRIFT_BASELINE_FILE_CONFIG,
            Type.STRING,
            "",
            LOW,
            "Optional JSON of pinned reference bin counts per track and feature; errors name the"
                + " track and feature.")
        .define(
            CommonKeys.metricsPort(
                METRICS_PORT_CONFIG,
                9464,
                "`sluice curator`'s HTTP endpoint: `GET /metrics` (Prometheus text format),"
                    + " `/healthz` (alive), `/readyz` (200 while the Streams app is `RUNNING` or"
                    + " `REBALANCING`, else 503). `0` = any free port (printed at start-up). Bound"
                    + " on all interfaces."))
        .define(
            CommonKeys.instanceId(
                INSTANCE_ID_CONFIG,
                MEDIUM,
                "This instance's stable name (on Kubernetes the pod name), used as the Streams"
                    + " main consumer's group.instance.id (Streams appends the thread index): a"
                    + " restarted instance with the same name takes its tasks back at once instead"
                    + " of after session.timeout.ms. Two running instances must not share one."
                    + " Empty: dynamic membership."))
        .define(
            OFFLINE_MAX_LINE_BYTES_CONFIG,
            Type.INT,
            4 << 20,
            between(1024, 1 << 30),
            LOW,
            "`sluice curate`: longest input line; a longer one is rejected as `LINE_TOO_LONG`"
                + " without being held in memory.");
  }

  /** Built-in defaults only. */
  public static CuratorConfig defaults() {
    return from(Settings.defaults(CONFIG_DEF));
  }

  /** Loads settings from an optional file, the environment and overrides (later layers win). */
  public static CuratorConfig load(
      Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    return from(Settings.load(CONFIG_DEF, "curator", file, environment, overrides));
  }

  /** Converts validated settings, checking the rules that span several keys. */
  public static CuratorConfig from(Settings settings) {
    Map<String, Object> v = settings.values();
    FilterConfig filter =
        require(
            () ->
                new FilterConfig(
                    (Integer) v.get(MIN_PROMPT_CHARS_CONFIG),
                    (Integer) v.get(MAX_PROMPT_CHARS_CONFIG),
                    (Integer) v.get(MIN_ANSWER_CHARS_CONFIG),
                    (Integer) v.get(MAX_ANSWER_CHARS_CONFIG),
                    (Double) v.get(MAX_SYMBOL_RATIO_CONFIG),
                    (Integer) v.get(SYMBOL_RATIO_MIN_CHARS_CONFIG),
                    (Integer) v.get(REPEATED_NGRAM_WORDS_CONFIG),
                    (Double) v.get(MAX_REPEATED_NGRAM_RATIO_CONFIG),
                    (Integer) v.get(REPEATED_NGRAM_MIN_WORDS_CONFIG),
                    castList(v.get(BLOCKLIST_CONFIG))),
            MIN_PROMPT_CHARS_CONFIG
                + ", "
                + MAX_PROMPT_CHARS_CONFIG
                + ", "
                + MIN_ANSWER_CHARS_CONFIG
                + ", "
                + MAX_ANSWER_CHARS_CONFIG
                + ", "
                + REPEATED_NGRAM_WORDS_CONFIG
                + " and "
                + REPEATED_NGRAM_MIN_WORDS_CONFIG);
    int hashes = (Integer) v.get(MINHASH_HASHES_CONFIG);
    int bands = (Integer) v.get(LSH_BANDS_CONFIG);
    CrossKeyRule.require(
        hashes % bands == 0,
        MINHASH_HASHES_CONFIG,
        hashes,
        "be a multiple of",
        LSH_BANDS_CONFIG,
        bands,
        "");
    DedupConfig dedup =
        new DedupConfig(
            (Integer) v.get(SHINGLE_WORDS_CONFIG),
            hashes,
            bands,
            (Double) v.get(SIMILARITY_THRESHOLD_CONFIG),
            (Long) v.get(RETENTION_MS_CONFIG),
            (Integer) v.get(MAX_ENTRIES_PER_TRACK_CONFIG),
            (Integer) v.get(MAX_CANDIDATES_CONFIG));
    String baselineFile = ((String) v.get(DRIFT_BASELINE_FILE_CONFIG)).trim();
    double warnPsi = (Double) v.get(DRIFT_WARN_PSI_CONFIG);
    double alertPsi = (Double) v.get(DRIFT_ALERT_PSI_CONFIG);
    CrossKeyRule.require(
        alertPsi > warnPsi,
        DRIFT_ALERT_PSI_CONFIG,
        alertPsi,
        "be above",
        DRIFT_WARN_PSI_CONFIG,
        warnPsi,
        "");
    DriftConfig drift =
        new DriftConfig(
            (Integer) v.get(DRIFT_REFERENCE_RECORDS_CONFIG),
            (Integer) v.get(DRIFT_WINDOW_RECORDS_CONFIG),
            (Double) v.get(DRIFT_EPSILON_CONFIG),
            baselineFile.isEmpty() ? Map.of() : readBaselines(Path.of(baselineFile)),
            (Long) v.get(DRIFT_REPORT_INTERVAL_MS_CONFIG),
            warnPsi,
            alertPsi);
    return new CuratorConfig(
        (String) v.get(APPLICATION_ID_CONFIG),
        (String) v.get(BOOTSTRAP_SERVERS_CONFIG),
        Path.of((String) v.get(STATE_DIR_CONFIG)),
        (Integer) v.get(STREAM_THREADS_CONFIG),
        (Long) v.get(COMMIT_INTERVAL_MS_CONFIG),
        filter,
        dedup,
        (Long) v.get(SWEEP_INTERVAL_MS_CONFIG),
        (Double) v.get(HOLDOUT_FRACTION_CONFIG),
        drift,
        PiiConfig.from(v),
        (Integer) v.get(OFFLINE_MAX_LINE_BYTES_CONFIG),
        LIMITS.read(v),
        (Integer) v.get(METRICS_PORT_CONFIG),
        settings.kafkaClientProperties(),
        InstanceId.of(v.get(INSTANCE_ID_CONFIG)));
  }

  private static FilterConfig require(Supplier<FilterConfig> build, String keys) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("inconsistent filter settings (" + keys + "): " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object value) {
    return ((List<String>) value).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Reads a pinned baseline; every problem names the key and the file. */
  static Map<String, Map<Feature, long[]>> readBaselines(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(
          DRIFT_BASELINE_FILE_CONFIG, file.toString(), "cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(
          DRIFT_BASELINE_FILE_CONFIG,
          file.toString(),
          "must be a JSON object keyed by tenant/track");
    }
    Map<String, Map<Feature, long[]>> baselines = new TreeMap<>();
    for (Map.Entry<String, JsonNode> track : root.properties()) {
      if (!track.getValue().isObject()) {
        throw new ConfigException(
            DRIFT_BASELINE_FILE_CONFIG,
            file.toString(),
            track.getKey() + ": must be an object keyed by feature");
      }
      Map<Feature, long[]> features = new EnumMap<>(Feature.class);
      for (Map.Entry<String, JsonNode> entry : track.getValue().properties()) {
        String where = track.getKey() + "/" + entry.getKey();
        try {
          Feature feature = Feature.byTag(entry.getKey());
          features.put(feature, counts(entry.getValue(), feature, where));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(
              DRIFT_BASELINE_FILE_CONFIG, file.toString(), where + ": " + e.getMessage());
        }
      }
      baselines.put(track.getKey(), features);
    }
    return baselines;
  }

  private static long[] counts(JsonNode json, Feature feature, String where) {
    if (!json.isArray() || json.size() != feature.bins()) {
      throw new IllegalArgumentException("must be an array of " + feature.bins() + " bin counts");
    }
    long[] counts = new long[json.size()];
    for (int i = 0; i < counts.length; i++) {
      JsonNode count = json.get(i);
      if (!count.canConvertToLong() || !count.isIntegralNumber() || count.asLong() < 0) {
        throw new IllegalArgumentException("bin " + i + " must be a non-negative integer");
      }
      counts[i] = count.asLong();
    }
    return counts;
  }
}
