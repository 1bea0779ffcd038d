package io.sluice.evaluator;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import io.sluice.config.CommonKeys;
import io.sluice.config.CrossKeyRule;
import io.sluice.config.InstanceId;
import io.sluice.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;

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
  public static final String GROUP_ID_CONFIG = "evaluator.group.id";
  public static final String TRANSACTIONAL_ID_CONFIG = "evaluator.transactional.id";
  public static final String ADAPTER_STORE_CONFIG = "evaluator.adapter.store";
  public static final String BASE_DIR_CONFIG = "evaluator.base.dir";
  public static final String BASE_NAME_CONFIG = "evaluator.base.name";
  public static final String SUITE_FILE_CONFIG = "evaluator.suite.file";
  public static final String STATE_DIR_CONFIG = "evaluator.state.dir";
  public static final String HOLDOUT_MAX_ITEMS_CONFIG = "evaluator.holdout.max.items";
  public static final String BATCH_SIZE_CONFIG = "evaluator.batch.size";
  public static final String DOMAIN_MAX_NEW_TOKENS_CONFIG = "evaluator.domain.max.new.tokens";
  public static final String DOMAIN_MIN_IMPROVEMENT_CONFIG =
      "evaluator.gate.domain.min.improvement";
  public static final String FORGETTING_MAX_DROP_CONFIG = "evaluator.gate.forgetting.max.drop";
  public static final String FORGETTING_BUDGET_CONFIG = "evaluator.gate.forgetting.budget";
  public static final String BOOTSTRAP_RESAMPLES_CONFIG = "evaluator.gate.bootstrap.resamples";
  public static final String BOOTSTRAP_SEED_CONFIG = "evaluator.gate.bootstrap.seed";
  public static final String CONFIDENCE_CONFIG = "evaluator.gate.confidence";
  public static final String SERVING_MAX_RANK_CONFIG = "evaluator.serving.max.rank";
  public static final String NO_EFFECT_TOLERANCE_CONFIG = "evaluator.load.no.effect.tolerance";
  public static final String INSTANCE_ID_CONFIG = "evaluator.instance.id";
  public static final String METRICS_PORT_CONFIG = "evaluator.metrics.port";

  public static final ConfigDef CONFIG_DEF = definition();

  public EvaluatorConfig {
    kafka = Map.copyOf(kafka);
  }

  private static ConfigDef definition() {
    GatePolicy gate = GatePolicy.defaults();
    return new ConfigDef()
        .define(CommonKeys.bootstrapServers(BOOTSTRAP_SERVERS_CONFIG, "localhost:9092"))
        .define(
            GROUP_ID_CONFIG,
            Type.STRING,
            "sluice-evaluator",
            new ConfigDef.NonEmptyString(),
            MEDIUM,
            "Consumer group of `sluice.adapters.candidates`; offsets are committed in the"
                + " transaction that publishes a candidate's decision.")
        .define(
            TRANSACTIONAL_ID_CONFIG,
            Type.STRING,
            "sluice-evaluator",
            new ConfigDef.NonEmptyString(),
            MEDIUM,
            "Transactional id of the producer; a restarted evaluator fences its predecessor, so a"
                + " zombie never publishes a second decision. Give each evaluator of a cluster its"
                + " own.")
        .define(
            CommonKeys.adapterStore(
                ADAPTER_STORE_CONFIG,
                "Adapter store the trainer writes (`<store>/<tenant>/<track>/<adapter-id>/`);"
                    + " relative `adapterUri`s resolve against it."))
        .define(
            BASE_DIR_CONFIG,
            Type.STRING,
            "",
            HIGH,
            "Base model directory (HF format); empty: the bundled `sluice-tiny`.")
        .define(
            BASE_NAME_CONFIG,
            Type.STRING,
            "",
            MEDIUM,
            "Portable name of the base model (what adapters' base_model_name_or_path carries)."
                + " Empty: derived from the model directory (manifest, config.json _name_or_path,"
                + " directory name).")
        .define(
            SUITE_FILE_CONFIG,
            Type.STRING,
            "",
            MEDIUM,
            "JSONL general suite ([format](evaluator.md#general-suites)); empty: the built-in"
                + " general-skills suite, which only the bundled model has. Any other base without"
                + " a suite file fails the start.")
        .define(
            STATE_DIR_CONFIG,
            Type.STRING,
            "data/evaluator",
            new ConfigDef.NonEmptyString(),
            HIGH,
            "Where holdouts and the curated topic's read positions are saved (`holdouts.json`)."
                + " Wiping it makes the evaluator re-read `sluice.examples.curated` from the"
                + " beginning.")
        .define(
            HOLDOUT_MAX_ITEMS_CONFIG,
            Type.INT,
            256,
            between(1, 100_000),
            MEDIUM,
            "Newest holdout items kept per tenant/track. Bounds memory and an evaluation's time.")
        .define(
            BATCH_SIZE_CONFIG,
            Type.INT,
            64,
            between(1, 4096),
            LOW,
            "Sequences per forward pass when scoring. A log-likelihood batch holds batch × length"
                + " × vocabulary floats of logits: lower it for bases with large vocabularies"
                + " (e.g. 8 for a 50k vocabulary; 64 suits the 259-token `sluice-tiny`).")
        .define(
            DOMAIN_MAX_NEW_TOKENS_CONFIG,
            Type.INT,
            96,
            between(1, 4096),
            LOW,
            "Most tokens generated per holdout item for exact match and token F1 (decoding also"
                + " stops two tokens past the reference answer's length).")
        .define(
            DOMAIN_MIN_IMPROVEMENT_CONFIG,
            Type.DOUBLE,
            gate.minDomainImprovement(),
            atLeast(0),
            HIGH,
            "δ: least mean per-item gain of the domain `gate_score` (nats per answer token; see"
                + " evaluator.md) over the champion.")
        .define(
            FORGETTING_MAX_DROP_CONFIG,
            Type.DOUBLE,
            gate.maxForgetting(),
            between(0, 1),
            HIGH,
            "ε: largest drop of any general task against the champion (0.02 = 2 points).")
        .define(
            FORGETTING_BUDGET_CONFIG,
            Type.DOUBLE,
            gate.forgettingBudget(),
            between(0, 1),
            HIGH,
            "Largest drop of any general task against the bare base, summed over all promotions."
                + " At least `evaluator.gate.forgetting.max.drop`.")
        .define(
            BOOTSTRAP_RESAMPLES_CONFIG,
            Type.INT,
            gate.resamples(),
            between(1000, 1_000_000),
            MEDIUM,
            "Paired bootstrap resamples.")
        .define(
            BOOTSTRAP_SEED_CONFIG,
            Type.LONG,
            gate.seed(),
            LOW,
            "Bootstrap seed; the same inputs always give the same interval.")
        .define(
            CONFIDENCE_CONFIG,
            Type.DOUBLE,
            gate.confidence(),
            between(0.5, 0.9999),
            MEDIUM,
            "Level of the bootstrap interval that must exclude zero.")
        .define(
            SERVING_MAX_RANK_CONFIG,
            Type.INT,
            64,
            between(1, 4096),
            MEDIUM,
            "Largest LoRA rank the serving fleet loads (vLLM's `--max-lora-rank`); above it is"
                + " `SERVING_LINT`.")
        .define(
            NO_EFFECT_TOLERANCE_CONFIG,
            Type.DOUBLE,
            1e-6,
            atLeast(0),
            LOW,
            "An adapter whose largest change of any probe logit is at or below this is"
                + " `NO_EFFECT`.")
        .define(
            CommonKeys.metricsPort(
                METRICS_PORT_CONFIG,
                9466,
                "Port of `/metrics`, `/healthz`, `/readyz` (ready once the base is loaded, state"
                    + " read back and the consumer polls); `0` picks a free port."))
        .define(
            CommonKeys.instanceId(
                INSTANCE_ID_CONFIG,
                MEDIUM,
                "This instance's stable name (on Kubernetes the pod name), used as the candidate"
                    + " consumer's group.instance.id: a restarted evaluator with the same name"
                    + " takes its partitions back at once instead of after session.timeout.ms."
                    + " Empty: dynamic membership."));
  }

  /** Built-in defaults only. */
  public static EvaluatorConfig defaults() {
    return from(Settings.defaults(CONFIG_DEF));
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
    CrossKeyRule.require(
        budget >= maxDrop,
        FORGETTING_BUDGET_CONFIG,
        budget,
        "be at least",
        FORGETTING_MAX_DROP_CONFIG,
        maxDrop,
        ": the cumulative budget against the base cannot be tighter than one step's allowance");
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
