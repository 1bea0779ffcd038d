package io.sluice.evaluator;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import io.sluice.config.InstanceId;
import io.sluice.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The evaluator's settings, read once at start-up (file, then {@code SLUICE_EVALUATOR_*}
 * environment, then command-line overrides) and frozen into this record. Every key is documented in
 * docs/configuration.md under "evaluator".
 *
 * @param baseDir the base model directory; empty for the bundled default model
 * @param baseName the portable base name adapters must carry; empty to derive it from the model
 * @param suiteFile JSONL general suite; empty uses the built-in general-skills suite (default model
 *     only)
 * @param metricsPort port of the HTTP metrics and health endpoint; 0 = any free port
 * @param kafka pass-through Kafka client properties ({@code kafka.*} keys, prefix removed)
 * @param instanceId the candidate consumer's {@code group.instance.id}; empty: dynamic membership
 */
public record EvaluatorConfig(
    String bootstrapServers,
    String groupId,
    String transactionalId,
    Path adapterStore,
    Optional<Path> baseDir,
    Optional<String> baseName,
    Optional<Path> suiteFile,
    Path stateDir,
    int holdoutMaxItems,
    int batchSize,
    int domainMaxNewTokens,
    GatePolicy gate,
    int servingMaxRank,
    double noEffectTolerance,
    int metricsPort,
    Map<String, String> kafka,
    Optional<String> instanceId) {

  public static final String BOOTSTRAP_SERVERS_CONFIG = "evaluator.bootstrap.servers";
  private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers, `host:port[,host:port...]`.";

  public static final String GROUP_ID_CONFIG = "evaluator.group.id";
  private static final String GROUP_ID_DOC =
      "Consumer group of `sluice.adapters.candidates`; offsets are committed in the"
          + " transaction that publishes a candidate's decision.";

  public static final String TRANSACTIONAL_ID_CONFIG = "evaluator.transactional.id";
  private static final String TRANSACTIONAL_ID_DOC =
      "Transactional id of the producer; a restarted evaluator fences its predecessor, so a"
          + " zombie never publishes a second decision. Give each evaluator of a cluster its own.";

  public static final String ADAPTER_STORE_CONFIG = "evaluator.adapter.store";
  private static final String ADAPTER_STORE_DOC =
      "Adapter store the trainer writes (`<store>/<tenant>/<track>/<adapter-id>/`);"
          + " relative `adapterUri`s resolve against it.";

  public static final String BASE_DIR_CONFIG = "evaluator.base.dir";
  private static final String BASE_DIR_DOC =
      "Base model directory (HF format); empty: the bundled `sluice-tiny`.";

  public static final String BASE_NAME_CONFIG = "evaluator.base.name";
  private static final String BASE_NAME_DOC =
      "Portable name of the base model (what adapters' base_model_name_or_path carries). Empty: derived"
          + " from the model directory (manifest, config.json _name_or_path, directory name).";

  public static final String SUITE_FILE_CONFIG = "evaluator.suite.file";
  private static final String SUITE_FILE_DOC =
      "JSONL general suite ([format](evaluator.md#general-suites)); empty: the built-in"
          + " general-skills suite, which only the bundled model has. Any other base without a"
          + " suite file fails the start.";

  public static final String STATE_DIR_CONFIG = "evaluator.state.dir";
  private static final String STATE_DIR_DOC =
      "Where holdouts and the curated topic's read positions are saved (`holdouts.json`)."
          + " Wiping it makes the evaluator re-read `sluice.examples.curated` from the beginning.";

  public static final String HOLDOUT_MAX_ITEMS_CONFIG = "evaluator.holdout.max.items";
  private static final String HOLDOUT_MAX_ITEMS_DOC =
      "Newest holdout items kept per tenant/track. Bounds memory and an evaluation's time.";

  public static final String BATCH_SIZE_CONFIG = "evaluator.batch.size";
  private static final String BATCH_SIZE_DOC =
      "Sequences per forward pass when scoring. A log-likelihood batch holds batch × length"
          + " × vocabulary floats of logits: lower it for bases with large vocabularies (e.g. 8"
          + " for a 50k vocabulary; 64 suits the 259-token `sluice-tiny`).";

  public static final String DOMAIN_MAX_NEW_TOKENS_CONFIG = "evaluator.domain.max.new.tokens";
  private static final String DOMAIN_MAX_NEW_TOKENS_DOC =
      "Most tokens generated per holdout item for exact match and token F1 (decoding also"
          + " stops two tokens past the reference answer's length).";

  public static final String DOMAIN_MIN_IMPROVEMENT_CONFIG =
      "evaluator.gate.domain.min.improvement";
  private static final String DOMAIN_MIN_IMPROVEMENT_DOC =
      "δ: least mean per-item gain of the domain `gate_score` (nats per answer token; see"
          + " evaluator.md) over the champion.";

  public static final String FORGETTING_MAX_DROP_CONFIG = "evaluator.gate.forgetting.max.drop";
  private static final String FORGETTING_MAX_DROP_DOC =
      "ε: largest drop of any general task against the champion (0.02 = 2 points).";

  public static final String FORGETTING_BUDGET_CONFIG = "evaluator.gate.forgetting.budget";
  private static final String FORGETTING_BUDGET_DOC =
      "Largest drop of any general task against the bare base, summed over all promotions. At least `evaluator.gate.forgetting.max.drop`.";

  public static final String BOOTSTRAP_RESAMPLES_CONFIG = "evaluator.gate.bootstrap.resamples";
  private static final String BOOTSTRAP_RESAMPLES_DOC = "Paired bootstrap resamples.";

  public static final String BOOTSTRAP_SEED_CONFIG = "evaluator.gate.bootstrap.seed";
  private static final String BOOTSTRAP_SEED_DOC =
      "Bootstrap seed; the same inputs always give the same interval.";

  public static final String CONFIDENCE_CONFIG = "evaluator.gate.confidence";
  private static final String CONFIDENCE_DOC =
      "Level of the bootstrap interval that must exclude zero.";

  public static final String SERVING_MAX_RANK_CONFIG = "evaluator.serving.max.rank";
  private static final String SERVING_MAX_RANK_DOC =
      "Largest LoRA rank the serving fleet loads (vLLM's `--max-lora-rank`); above it is"
          + " `SERVING_LINT`.";

  public static final String NO_EFFECT_TOLERANCE_CONFIG = "evaluator.load.no.effect.tolerance";
  private static final String NO_EFFECT_TOLERANCE_DOC =
      "An adapter whose largest change of any probe logit is at or below this is" + " `NO_EFFECT`.";

  public static final String INSTANCE_ID_CONFIG = "evaluator.instance.id";
  private static final String INSTANCE_ID_DOC =
      "This instance's stable name (on Kubernetes the pod name), used as the candidate"
          + " consumer's group.instance.id: a restarted evaluator with the same name takes its"
          + " partitions back at once instead of after session.timeout.ms. Empty: dynamic"
          + " membership.";

  public static final String METRICS_PORT_CONFIG = "evaluator.metrics.port";
  private static final String METRICS_PORT_DOC =
      "Port of `/metrics`, `/healthz`, `/readyz` (ready once the base is loaded, state read"
          + " back and the consumer polls); `0` picks a free port.";

  public static final ConfigDef CONFIG_DEF = definition();

  public EvaluatorConfig {
    kafka = Map.copyOf(kafka);
  }

  private static ConfigDef definition() {
    GatePolicy gate = GatePolicy.defaults();
    return new ConfigDef()
        .define(
            BOOTSTRAP_SERVERS_CONFIG,
            Type.STRING,
            "localhost:9092",
            new ConfigDef.NonEmptyString(),
            HIGH,
            BOOTSTRAP_SERVERS_DOC)
        .define(
            GROUP_ID_CONFIG,
            Type.STRING,
            "sluice-evaluator",
            new ConfigDef.NonEmptyString(),
            MEDIUM,
            GROUP_ID_DOC)
        .define(
            TRANSACTIONAL_ID_CONFIG,
            Type.STRING,
            "sluice-evaluator",
            new ConfigDef.NonEmptyString(),
            MEDIUM,
            TRANSACTIONAL_ID_DOC)
        .define(
            ADAPTER_STORE_CONFIG,
            Type.STRING,
            "data/adapters",
            new ConfigDef.NonEmptyString(),
            HIGH,
            ADAPTER_STORE_DOC)
        .define(BASE_DIR_CONFIG, Type.STRING, "", HIGH, BASE_DIR_DOC)
        .define(BASE_NAME_CONFIG, Type.STRING, "", MEDIUM, BASE_NAME_DOC)
        .define(SUITE_FILE_CONFIG, Type.STRING, "", MEDIUM, SUITE_FILE_DOC)
        .define(
            STATE_DIR_CONFIG,
            Type.STRING,
            "data/evaluator",
            new ConfigDef.NonEmptyString(),
            HIGH,
            STATE_DIR_DOC)
        .define(
            HOLDOUT_MAX_ITEMS_CONFIG,
            Type.INT,
            256,
            between(1, 100_000),
            MEDIUM,
            HOLDOUT_MAX_ITEMS_DOC)
        .define(BATCH_SIZE_CONFIG, Type.INT, 64, between(1, 4096), LOW, BATCH_SIZE_DOC)
        .define(
            DOMAIN_MAX_NEW_TOKENS_CONFIG,
            Type.INT,
            96,
            between(1, 4096),
            LOW,
            DOMAIN_MAX_NEW_TOKENS_DOC)
        .define(
            DOMAIN_MIN_IMPROVEMENT_CONFIG,
            Type.DOUBLE,
            gate.minDomainImprovement(),
            atLeast(0),
            HIGH,
            DOMAIN_MIN_IMPROVEMENT_DOC)
        .define(
            FORGETTING_MAX_DROP_CONFIG,
            Type.DOUBLE,
            gate.maxForgetting(),
            between(0, 1),
            HIGH,
            FORGETTING_MAX_DROP_DOC)
        .define(
            FORGETTING_BUDGET_CONFIG,
            Type.DOUBLE,
            gate.forgettingBudget(),
            between(0, 1),
            HIGH,
            FORGETTING_BUDGET_DOC)
        .define(
            BOOTSTRAP_RESAMPLES_CONFIG,
            Type.INT,
            gate.resamples(),
            between(1000, 1_000_000),
            MEDIUM,
            BOOTSTRAP_RESAMPLES_DOC)
        .define(BOOTSTRAP_SEED_CONFIG, Type.LONG, gate.seed(), LOW, BOOTSTRAP_SEED_DOC)
        .define(
            CONFIDENCE_CONFIG,
            Type.DOUBLE,
            gate.confidence(),
            between(0.5, 0.9999),
            MEDIUM,
            CONFIDENCE_DOC)
        .define(
            SERVING_MAX_RANK_CONFIG, Type.INT, 64, between(1, 4096), MEDIUM, SERVING_MAX_RANK_DOC)
        .define(
            NO_EFFECT_TOLERANCE_CONFIG, Type.DOUBLE, 1e-6, atLeast(0), LOW, NO_EFFECT_TOLERANCE_DOC)
        .define(METRICS_PORT_CONFIG, Type.INT, 9466, between(0, 65535), MEDIUM, METRICS_PORT_DOC)
        .define(INSTANCE_ID_CONFIG, Type.STRING, "", InstanceId.VALIDATOR, MEDIUM, INSTANCE_ID_DOC);
  }

  /** Built-in defaults only. */
  public static EvaluatorConfig defaults() {
    return load(Optional.empty(), Map.of(), Map.of());
  }

  /** Loads settings from an optional file, the environment and overrides (later layers win). */
  public static EvaluatorConfig load(
      Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    return from(Settings.load(CONFIG_DEF, "evaluator", file, environment, overrides));
  }

  /** Converts validated settings, checking the rules that span several keys. */
  public static EvaluatorConfig from(Settings settings) {
    Map<String, Object> v = settings.values();
    double maxDrop = (Double) v.get(FORGETTING_MAX_DROP_CONFIG);
    double budget = (Double) v.get(FORGETTING_BUDGET_CONFIG);
    if (budget < maxDrop) {
      throw new ConfigException(
          FORGETTING_BUDGET_CONFIG,
          budget,
          "must be at least "
              + FORGETTING_MAX_DROP_CONFIG
              + " ("
              + maxDrop
              + "): the cumulative budget against the"
              + " base cannot be tighter than one step's allowance");
    }
    GatePolicy gate =
        new GatePolicy(
            (Double) v.get(DOMAIN_MIN_IMPROVEMENT_CONFIG),
            maxDrop,
            budget,
            (Integer) v.get(BOOTSTRAP_RESAMPLES_CONFIG),
            (Long) v.get(BOOTSTRAP_SEED_CONFIG),
            (Double) v.get(CONFIDENCE_CONFIG));
    return new EvaluatorConfig(
        (String) v.get(BOOTSTRAP_SERVERS_CONFIG),
        (String) v.get(GROUP_ID_CONFIG),
        (String) v.get(TRANSACTIONAL_ID_CONFIG),
        Path.of((String) v.get(ADAPTER_STORE_CONFIG)),
        optionalPath((String) v.get(BASE_DIR_CONFIG)),
        optional((String) v.get(BASE_NAME_CONFIG)),
        optionalPath((String) v.get(SUITE_FILE_CONFIG)),
        Path.of((String) v.get(STATE_DIR_CONFIG)),
        (Integer) v.get(HOLDOUT_MAX_ITEMS_CONFIG),
        (Integer) v.get(BATCH_SIZE_CONFIG),
        (Integer) v.get(DOMAIN_MAX_NEW_TOKENS_CONFIG),
        gate,
        (Integer) v.get(SERVING_MAX_RANK_CONFIG),
        (Double) v.get(NO_EFFECT_TOLERANCE_CONFIG),
        (Integer) v.get(METRICS_PORT_CONFIG),
        settings.kafkaClientProperties(),
        InstanceId.of(v.get(INSTANCE_ID_CONFIG)));
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static Optional<Path> optionalPath(String value) {
    return optional(value).map(Path::of);
  }
}
