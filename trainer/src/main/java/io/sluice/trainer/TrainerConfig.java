package io.sluice.trainer;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import io.sluice.config.CommonKeys;
import io.sluice.config.ConfigDocs;
import io.sluice.config.Settings;
import io.sluice.model.lora.LoraConfig;
import io.sluice.model.train.TrainOptions;
import io.sluice.model.train.TrainingObjective;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The trainer's settings, read once at start-up (file, then {@code SLUICE_TRAINER_*} environment,
 * then command-line overrides) and frozen. Track settings ({@link TrackSettings}) have per-track
 * overrides: {@code trainer.tracks."acme/support".lr=1e-3} in a properties file or on the command
 * line, or {@code trainer: {tracks: {"acme/support": {lr: 1e-3}}}} in YAML. Every key is in
 * docs/configuration.md under "trainer".
 *
 * @param instanceId names this instance's transactional id; two running instances need two ids
 * @param baseDir the base model directory; null means the bundled default model
 * @param baseName what adapters name as their base; empty derives it from the model directory
 * @param device auto, cpu or cuda
 * @param metricsPort port of /metrics, /healthz and /readyz; 0 picks a free one
 * @param maxAttempts training attempts of one window before its examples are rejected
 * @param retryBackoffMs wait before the first retry; doubles with each further attempt
 * @param replayCapacity examples each track's replay reservoir keeps
 * @param rehearsalFile general instruction data for a base other than the default model
 * @param semanticDedupThreshold cosine (after mean-centering) at or above which a window example
 *     repeats an earlier kept one and is not trained; 0 disables semantic dedup
 * @param semanticIndexCapacity kept embeddings each track's semantic index holds, newest first
 */
public record TrainerConfig(
    String bootstrapServers,
    String groupId,
    String instanceId,
    Path adapterStore,
    Path baseDir,
    String baseName,
    String device,
    int metricsPort,
    int maxAttempts,
    long retryBackoffMs,
    int replayCapacity,
    Path rehearsalFile,
    double semanticDedupThreshold,
    int semanticIndexCapacity,
    TrackSettings defaults,
    Map<String, TrackSettings> tracks,
    Map<String, String> kafka) {

  private static final String PREFIX = "trainer.";
  private static final String TRACKS_PREFIX = "trainer.tracks.";

  public static final String BOOTSTRAP_SERVERS_CONFIG = "trainer.bootstrap.servers";
  public static final String GROUP_ID_CONFIG = "trainer.group.id";
  public static final String INSTANCE_ID_CONFIG = "trainer.instance.id";
  public static final String ADAPTER_STORE_CONFIG = "trainer.adapter.store";
  public static final String BASE_DIR_CONFIG = "trainer.base.dir";
  public static final String BASE_NAME_CONFIG = "trainer.base.name";
  public static final String DEVICE_CONFIG = "trainer.device";
  public static final String METRICS_PORT_CONFIG = "trainer.metrics.port";
  public static final String MAX_ATTEMPTS_CONFIG = "trainer.max.attempts";
  public static final String RETRY_BACKOFF_MS_CONFIG = "trainer.retry.backoff.ms";
  public static final String REPLAY_CAPACITY_CONFIG = "trainer.replay.capacity";
  public static final String REHEARSAL_FILE_CONFIG = "trainer.rehearsal.file";
  public static final String SEMANTIC_DEDUP_THRESHOLD_CONFIG = "trainer.semantic.dedup.threshold";
  public static final String SEMANTIC_INDEX_CAPACITY_CONFIG =
      "trainer.semantic.dedup.index.capacity";

  // Track settings: each may be overridden per track.
  public static final String WINDOW_MIN_EXAMPLES_CONFIG = "trainer.window.min.examples";
  public static final String WINDOW_MAX_WAIT_CONFIG = "trainer.window.max.wait";
  public static final String WINDOW_MIN_EXAMPLES_ON_TIMEOUT_CONFIG =
      "trainer.window.min.examples.on.timeout";
  public static final String MIN_INTERVAL_CONFIG = "trainer.min.interval";
  public static final String REPLAY_FRACTION_CONFIG = "trainer.replay.fraction";
  public static final String REHEARSAL_FRACTION_CONFIG = "trainer.rehearsal.fraction";
  public static final String INIT_CONFIG = "trainer.init";
  public static final String OBJECTIVE_CONFIG = "trainer.objective";
  public static final String LR_CONFIG = "trainer.lr";
  public static final String DPO_LR_CONFIG = "trainer.dpo.lr";
  public static final String EPOCHS_CONFIG = "trainer.epochs";
  public static final String BATCH_SIZE_CONFIG = "trainer.batch.size";
  public static final String GRAD_ACCUM_CONFIG = "trainer.grad.accum";
  public static final String WARMUP_RATIO_CONFIG = "trainer.warmup.ratio";
  public static final String WEIGHT_DECAY_CONFIG = "trainer.weight.decay";
  public static final String MAX_GRAD_NORM_CONFIG = "trainer.max.grad.norm";
  public static final String BETA_CONFIG = "trainer.beta";
  public static final String KTO_BETA_CONFIG = "trainer.kto.beta";
  public static final String KTO_DESIRABLE_WEIGHT_CONFIG = "trainer.kto.desirable.weight";
  public static final String KTO_UNDESIRABLE_WEIGHT_CONFIG = "trainer.kto.undesirable.weight";
  public static final String MAX_LENGTH_CONFIG = "trainer.max.length";
  public static final String SEED_CONFIG = "trainer.seed";
  public static final String LORA_R_CONFIG = "trainer.lora.r";
  public static final String LORA_ALPHA_CONFIG = "trainer.lora.alpha";
  public static final String LORA_DROPOUT_CONFIG = "trainer.lora.dropout";
  public static final String LORA_TARGETS_CONFIG = "trainer.lora.target.modules";

  /** Keys a track may override. */
  public static final Set<String> TRACK_KEYS =
      Set.of(
          WINDOW_MIN_EXAMPLES_CONFIG,
          WINDOW_MAX_WAIT_CONFIG,
          WINDOW_MIN_EXAMPLES_ON_TIMEOUT_CONFIG,
          MIN_INTERVAL_CONFIG,
          REPLAY_FRACTION_CONFIG,
          REHEARSAL_FRACTION_CONFIG,
          INIT_CONFIG,
          OBJECTIVE_CONFIG,
          LR_CONFIG,
          DPO_LR_CONFIG,
          EPOCHS_CONFIG,
          BATCH_SIZE_CONFIG,
          GRAD_ACCUM_CONFIG,
          WARMUP_RATIO_CONFIG,
          WEIGHT_DECAY_CONFIG,
          MAX_GRAD_NORM_CONFIG,
          BETA_CONFIG,
          KTO_BETA_CONFIG,
          KTO_DESIRABLE_WEIGHT_CONFIG,
          KTO_UNDESIRABLE_WEIGHT_CONFIG,
          MAX_LENGTH_CONFIG,
          SEED_CONFIG,
          LORA_R_CONFIG,
          LORA_ALPHA_CONFIG,
          LORA_DROPOUT_CONFIG,
          LORA_TARGETS_CONFIG);

  public static final ConfigDef CONFIG_DEF = definition();

  public TrainerConfig {
    tracks = Map.copyOf(tracks);
    kafka = Map.copyOf(kafka);
  }

  private static ConfigDef definition() {
    TrainOptions d = TrainOptions.defaults(TrainingObjective.AUTO);
    ConfigDef.Validator duration =
        ConfigDocs.described(
            "duration: 500ms, 90s, 10m, 1h or milliseconds",
            (name, value) -> parseDuration(name, (String) value));
    ConfigDef.Validator fraction = between(0.0, 0.95);
    ConfigDef.Validator learningRate = between(1e-12, 10.0);
    ConfigDef.Validator klStrength = between(1e-6, 100.0);
    ConfigDef.Validator positiveScale = between(1e-6, 1e6);
    return new ConfigDef()
        .define(
            CommonKeys.bootstrapServers(
                BOOTSTRAP_SERVERS_CONFIG,
                "localhost:9092",
                "Kafka brokers to connect to, host:port[,host:port]."))
        .define(
            GROUP_ID_CONFIG,
            Type.STRING,
            "sluice-trainer",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Consumer group of the trainers. Instances in one group share the tracks by partition.")
        .define(
            CommonKeys.instanceId(
                INSTANCE_ID_CONFIG,
                LOW,
                "This instance's name within the group; its transactional id is <group>-<instance>"
                    + " and its consumer's group.instance.id is <instance> (static membership)."
                    + " Empty: the host name. A restarted instance must keep its id, so that it"
                    + " fences its own unfinished transaction and takes its partitions back at"
                    + " once."))
        .define(
            CommonKeys.adapterStore(
                ADAPTER_STORE_CONFIG,
                "Directory of the adapter store: <store>/<tenant>/<track>/<adapter-id>/ plus each"
                    + " track's replay reservoir."))
        .define(
            BASE_DIR_CONFIG,
            Type.STRING,
            "",
            HIGH,
            "Base model directory (Hugging Face layout: config.json, *.safetensors,"
                + " tokenizer.json). Empty: the bundled sluice-tiny.")
        .define(
            BASE_NAME_CONFIG,
            Type.STRING,
            "",
            MEDIUM,
            "Name adapters record as base_model_name_or_path (e.g. HuggingFaceTB/SmolLM2-135M)."
                + " Empty: derived from the model directory.")
        .define(
            DEVICE_CONFIG,
            Type.STRING,
            "auto",
            ConfigDef.ValidString.in("auto", "cpu", "cuda"),
            MEDIUM,
            "Where training runs: auto (the first GPU DJL sees, else the CPU), cpu or cuda.")
        .define(
            CommonKeys.metricsPort(
                METRICS_PORT_CONFIG,
                9465,
                "Port of /metrics (Prometheus), /healthz and /readyz; 0 picks a free port."))
        .define(
            MAX_ATTEMPTS_CONFIG,
            Type.INT,
            3,
            between(1, 100),
            MEDIUM,
            "Training attempts of one window; after the last failure its examples go to"
                + " sluice.events.rejected as TRAINING_FAILED.")
        .define(
            RETRY_BACKOFF_MS_CONFIG,
            Type.LONG,
            30_000L,
            atLeast(0),
            LOW,
            "Wait before retrying a failed window; doubles with each further attempt.")
        .define(
            REPLAY_CAPACITY_CONFIG,
            Type.INT,
            2000,
            between(1, 1_000_000),
            MEDIUM,
            "Earlier train examples each track's replay reservoir keeps (a uniform sample of all"
                + " it has seen).")
        .define(
            REHEARSAL_FILE_CONFIG,
            Type.STRING,
            "",
            MEDIUM,
            "JSON lines of general instruction data, {\"prompt\": ..., \"completion\": ...}, mixed"
                + " in against forgetting when the base is not the bundled model (whose own"
                + " general-skills generator is used).")
        .define(
            SEMANTIC_DEDUP_THRESHOLD_CONFIG,
            Type.DOUBLE,
            0.9,
            between(0.0, 1.0),
            MEDIUM,
            "A window example whose cosine to an earlier kept example of its track and kind"
                + " (base-model embeddings, mean-centred per track) is at least this is not"
                + " trained (semantic dedup); 0 disables it.")
        .define(
            SEMANTIC_INDEX_CAPACITY_CONFIG,
            Type.INT,
            2000,
            between(1, 1_000_000),
            MEDIUM,
            "Kept examples' embeddings each track's semantic index holds (the oldest leave first);"
                + " windows are compared with all of them.")
        .define(
            WINDOW_MIN_EXAMPLES_CONFIG,
            Type.INT,
            64,
            between(1, 1_000_000),
            HIGH,
            "A window is trained once it holds this many new train examples (and holds at most"
                + " this many).")
        .define(
            WINDOW_MAX_WAIT_CONFIG,
            Type.STRING,
            "10m",
            duration,
            MEDIUM,
            "After this long since a window's first example (e.g. 90s, 10m, 1h; plain numbers are"
                + " milliseconds), it is trained if it holds"
                + " trainer.window.min.examples.on.timeout examples.")
        .define(
            WINDOW_MIN_EXAMPLES_ON_TIMEOUT_CONFIG,
            Type.INT,
            8,
            between(1, 1_000_000),
            MEDIUM,
            "Smallest window trained when trainer.window.max.wait has passed.")
        .define(
            MIN_INTERVAL_CONFIG,
            Type.STRING,
            "1m",
            duration,
            MEDIUM,
            "A track is never trained more often than this.")
        .define(
            REPLAY_FRACTION_CONFIG,
            Type.DOUBLE,
            0.3,
            fraction,
            MEDIUM,
            "Share of each training set replayed from the track's earlier examples.")
        .define(
            REHEARSAL_FRACTION_CONFIG,
            Type.DOUBLE,
            0.2,
            fraction,
            MEDIUM,
            "Share of each training set that is general-skills data, against forgetting; 0"
                + " disables it.")
        .define(
            INIT_CONFIG,
            Type.STRING,
            "fresh",
            ConfigDef.ValidString.in("fresh", "champion"),
            MEDIUM,
            "fresh: a new adapter per window; champion: continue from the track's current champion"
                + " (sluice.adapters.registry).")
        .define(
            OBJECTIVE_CONFIG,
            Type.STRING,
            "auto",
            ConfigDef.ValidString.in(
                "auto", "sft", "dpo", "sft_dpo", "kto", "sft_kto", "dpo_kto", "sft_dpo_kto"),
            MEDIUM,
            "auto: SFT for SFT records, DPO for preference pairs, KTO for up/down votes, in that"
                + " order, by what the training set holds. Any other value is a minimum: phases"
                + " the set needs are added.")
        .define(
            LR_CONFIG,
            Type.DOUBLE,
            d.learningRate(),
            learningRate,
            MEDIUM,
            "Peak learning rate of SFT.")
        .define(
            DPO_LR_CONFIG,
            Type.DOUBLE,
            d.dpoLearningRate(),
            learningRate,
            MEDIUM,
            "Peak learning rate of DPO.")
        .define(
            EPOCHS_CONFIG,
            Type.INT,
            d.epochs(),
            between(1, 1000),
            MEDIUM,
            "Passes over each training set.")
        .define(
            BATCH_SIZE_CONFIG,
            Type.INT,
            d.batchSize(),
            between(1, 4096),
            MEDIUM,
            "Sequences (DPO: pairs) per micro-batch.")
        .define(
            GRAD_ACCUM_CONFIG,
            Type.INT,
            d.gradientAccumulation(),
            between(1, 1024),
            LOW,
            "Micro-batches per optimiser step.")
        .define(
            WARMUP_RATIO_CONFIG,
            Type.DOUBLE,
            d.warmupRatio(),
            between(0.0, 0.99),
            LOW,
            "Share of steps spent warming up the learning rate.")
        .define(
            WEIGHT_DECAY_CONFIG,
            Type.DOUBLE,
            d.weightDecay(),
            between(0.0, 1.0),
            LOW,
            "AdamW decoupled weight decay.")
        .define(
            MAX_GRAD_NORM_CONFIG,
            Type.DOUBLE,
            d.maxGradNorm(),
            between(0.0, 1e6),
            LOW,
            "Global gradient-norm clip; 0 disables it.")
        .define(BETA_CONFIG, Type.DOUBLE, d.beta(), klStrength, LOW, "DPO's KL strength.")
        .define(
            KTO_BETA_CONFIG,
            Type.DOUBLE,
            d.kto().beta(),
            klStrength,
            LOW,
            "KTO's KL strength β. KTO runs at trainer.dpo.lr.")
        .define(
            KTO_DESIRABLE_WEIGHT_CONFIG,
            Type.DOUBLE,
            d.kto().desirableWeight(),
            positiveScale,
            LOW,
            "KTO's weight of up-voted (desirable) responses, λ_D.")
        .define(
            KTO_UNDESIRABLE_WEIGHT_CONFIG,
            Type.DOUBLE,
            d.kto().undesirableWeight(),
            positiveScale,
            LOW,
            "KTO's weight of down-voted (undesirable) responses, λ_U; keep λ_D·n_D / (λ_U·n_U)"
                + " within [1, 4/3].")
        .define(
            MAX_LENGTH_CONFIG,
            Type.INT,
            d.maxLength(),
            between(2, 1 << 20),
            MEDIUM,
            "Longest training sequence in tokens; longer ones lose their oldest prompt tokens,"
                + " then answer tokens (counted).")
        .define(
            SEED_CONFIG,
            Type.LONG,
            d.seed(),
            MEDIUM,
            "Seed of initialisation, shuffling, dropout and sampling.")
        .define(LORA_R_CONFIG, Type.INT, d.lora().r(), between(1, 1024), MEDIUM, "LoRA rank r.")
        .define(
            LORA_ALPHA_CONFIG,
            Type.DOUBLE,
            d.lora().alpha(),
            positiveScale,
            MEDIUM,
            "LoRA alpha (scaling alpha/r).")
        .define(
            LORA_DROPOUT_CONFIG,
            Type.DOUBLE,
            d.lora().dropout(),
            between(0.0, 0.99),
            LOW,
            "LoRA dropout.")
        .define(
            LORA_TARGETS_CONFIG,
            Type.LIST,
            String.join(",", LoraConfig.ALL_LINEAR),
            ConfigDef.ValidList.in(LoraConfig.ALL_LINEAR.toArray(String[]::new)),
            LOW,
            "Modules that receive LoRA.");
  }

  public static TrainerConfig load(
      Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    Settings settings =
        Settings.load(CONFIG_DEF, "trainer", file, environment, overrides, TRACKS_PREFIX);
    Map<String, Object> v = settings.values();
    Map<String, Map<String, String>> rawTracks = tracksOf(settings.scoped());
    Map<String, TrackSettings> tracks = new TreeMap<>();
    Map<String, String> ownRaw = new HashMap<>();
    rawTracks.forEach(
        (track, values) -> {
          Map<String, Object> merged = new HashMap<>(v);
          Map<String, String> raw = new LinkedHashMap<>();
          values.forEach((key, value) -> raw.put(key, value));
          ConfigDef subset = new ConfigDef();
          for (String key : raw.keySet()) {
            subset.define(CONFIG_DEF.configKeys().get(key));
          }
          try {
            merged.putAll(subset.parse(raw));
            tracks.put(track, trackSettings(merged));
          } catch (ConfigException e) {
            throw new ConfigException(TRACKS_PREFIX + "\"" + track + "\": " + e.getMessage());
          } catch (IllegalArgumentException e) {
            throw new ConfigException(TRACKS_PREFIX + "\"" + track + "\": " + e.getMessage());
          }
        });
    TrackSettings defaults;
    try {
      defaults = trackSettings(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    String instance = (String) v.get(INSTANCE_ID_CONFIG);
    String base = (String) v.get(BASE_DIR_CONFIG);
    String rehearsal = (String) v.get(REHEARSAL_FILE_CONFIG);
    return new TrainerConfig(
        (String) v.get(BOOTSTRAP_SERVERS_CONFIG),
        (String) v.get(GROUP_ID_CONFIG),
        instance.isBlank() ? hostName() : instance,
        Path.of((String) v.get(ADAPTER_STORE_CONFIG)),
        base.isBlank() ? null : Path.of(base),
        (String) v.get(BASE_NAME_CONFIG),
        (String) v.get(DEVICE_CONFIG),
        (Integer) v.get(METRICS_PORT_CONFIG),
        (Integer) v.get(MAX_ATTEMPTS_CONFIG),
        (Long) v.get(RETRY_BACKOFF_MS_CONFIG),
        (Integer) v.get(REPLAY_CAPACITY_CONFIG),
        rehearsal.isBlank() ? null : Path.of(rehearsal),
        (Double) v.get(SEMANTIC_DEDUP_THRESHOLD_CONFIG),
        (Integer) v.get(SEMANTIC_INDEX_CAPACITY_CONFIG),
        defaults,
        tracks,
        settings.kafkaClientProperties());
  }

  /** The settings of {@code tenant/track}: its overrides over the defaults. */
  public TrackSettings track(String trackKey) {
    return tracks.getOrDefault(trackKey, defaults);
  }

  /**
   * {@code trainer.tracks."acme/support".lr} (or, from YAML, {@code
   * trainer.tracks.acme/support.lr}) → {"acme/support": {"trainer.lr": ...}}.
   */
  private static Map<String, Map<String, String>> tracksOf(Map<String, String> scoped) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    scoped.forEach(
        (key, value) -> {
          String rest = key.substring(TRACKS_PREFIX.length());
          String track;
          String setting;
          if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != '.') {
              throw new ConfigException(
                  key, value, "expected trainer.tracks.\"<tenant>/<track>\".<setting>");
            }
            track = rest.substring(1, close);
            setting = rest.substring(close + 2);
          } else {
            // YAML flattening drops the quotes: the setting is the longest known suffix, so a track
            // name may itself hold dots ("globex/sales.eu").
            String known =
                TRACK_KEYS.stream()
                    .map(k -> k.substring(PREFIX.length()))
                    .filter(name -> rest.endsWith("." + name))
                    .max(java.util.Comparator.comparingInt(String::length))
                    .orElse(null);
            if (known == null) {
              int dot = rest.lastIndexOf('.');
              track = dot < 0 ? rest : rest.substring(0, dot);
              setting = dot < 0 ? "" : rest.substring(dot + 1);
            } else {
              track = rest.substring(0, rest.length() - known.length() - 1);
              setting = known;
            }
          }
          if (track.indexOf('/') <= 0 || track.endsWith("/")) {
            throw new ConfigException(
                key, value, "a track is named <tenant>/<track>, got '" + track + "'");
          }
          String full = PREFIX + setting;
          if (!TRACK_KEYS.contains(full)) {
            throw new ConfigException(
                key,
                value,
                "not a per-track setting; those are "
                    + new TreeMap<>(
                            TRACK_KEYS.stream()
                                .collect(
                                    java.util.stream.Collectors.toMap(
                                        k -> k.substring(PREFIX.length()), k -> "")))
                        .keySet());
          }
          out.computeIfAbsent(track, t -> new LinkedHashMap<>()).put(full, value);
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static TrackSettings trackSettings(Map<String, Object> v) {
    LoraConfig lora =
        new LoraConfig(
            (Integer) v.get(LORA_R_CONFIG),
            (Double) v.get(LORA_ALPHA_CONFIG),
            (Double) v.get(LORA_DROPOUT_CONFIG),
            (List<String>) v.get(LORA_TARGETS_CONFIG),
            false);
    TrainOptions training =
        new TrainOptions(
            TrainingObjective.valueOf(((String) v.get(OBJECTIVE_CONFIG)).toUpperCase(Locale.ROOT)),
            lora,
            (Integer) v.get(EPOCHS_CONFIG),
            (Integer) v.get(BATCH_SIZE_CONFIG),
            (Integer) v.get(GRAD_ACCUM_CONFIG),
            (Double) v.get(LR_CONFIG),
            (Double) v.get(DPO_LR_CONFIG),
            (Double) v.get(WARMUP_RATIO_CONFIG),
            (Double) v.get(WEIGHT_DECAY_CONFIG),
            (Double) v.get(MAX_GRAD_NORM_CONFIG),
            (Double) v.get(BETA_CONFIG),
            (Integer) v.get(MAX_LENGTH_CONFIG),
            (Long) v.get(SEED_CONFIG),
            false,
            new TrainOptions.KtoOptions(
                (Double) v.get(KTO_BETA_CONFIG),
                (Double) v.get(KTO_DESIRABLE_WEIGHT_CONFIG),
                (Double) v.get(KTO_UNDESIRABLE_WEIGHT_CONFIG)));
    return new TrackSettings(
        (Integer) v.get(WINDOW_MIN_EXAMPLES_CONFIG),
        parseDuration(WINDOW_MAX_WAIT_CONFIG, (String) v.get(WINDOW_MAX_WAIT_CONFIG)),
        (Integer) v.get(WINDOW_MIN_EXAMPLES_ON_TIMEOUT_CONFIG),
        parseDuration(MIN_INTERVAL_CONFIG, (String) v.get(MIN_INTERVAL_CONFIG)),
        (Double) v.get(REPLAY_FRACTION_CONFIG),
        (Double) v.get(REHEARSAL_FRACTION_CONFIG),
        "champion".equals(v.get(INIT_CONFIG)),
        training);
  }

  /** "250" (ms), "90s", "10m", "2h" → milliseconds. */
  static long parseDuration(String key, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      long unit = 1;
      String digits = t;
      if (t.endsWith("ms")) {
        digits = t.substring(0, t.length() - 2);
      } else if (t.endsWith("s")) {
        unit = 1000;
        digits = t.substring(0, t.length() - 1);
      } else if (t.endsWith("m")) {
        unit = 60_000;
        digits = t.substring(0, t.length() - 1);
      } else if (t.endsWith("h")) {
        unit = 3_600_000;
        digits = t.substring(0, t.length() - 1);
      }
      long value = Long.parseLong(digits.trim());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(value, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(
          key, text, "must be a non-negative duration such as 500ms, 90s, 10m or 1h");
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "trainer";
    }
  }
}
