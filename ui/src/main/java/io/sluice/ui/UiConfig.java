package io.sluice.ui;

import io.sluice.config.CommonKeys;
import io.sluice.config.ConfigDocs;
import io.sluice.config.Settings;
import io.sluice.ingest.ApiKeys;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of {@code sluice ui}, read once at start-up and frozen into this record. Every key is
 * documented in docs/configuration.md under "ui".
 *
 * @param bootstrapServers Kafka brokers to read the registry topics from
 * @param host interface the HTTP server binds
 * @param port HTTP port; 0 picks a free one
 * @param apiKeys API keys and the tenants each may see (ingest's scheme); empty shows every tenant
 * @param forgettingBudget the forgetting budget drawn as a band on the skill charts for every
 *     evaluation; empty: each evaluation's own, as its report records it
 * @param caps how many records of each topic are held in memory
 * @param kafkaClientProperties pass-through client properties ({@code kafka.*})
 */
public record UiConfig(
    String bootstrapServers,
    String host,
    int port,
    ApiKeys apiKeys,
    OptionalDouble forgettingBudget,
    Caps caps,
    Map<String, String> kafkaClientProperties) {

  /** Environment scope: variables {@code SLUICE_UI_*} must name a key below. */
  public static final String ENV_SCOPE = "ui";

  public static final String BOOTSTRAP_SERVERS_CONFIG = "ui.bootstrap.servers";
  public static final String HOST_CONFIG = "ui.host";
  public static final String PORT_CONFIG = "ui.port";
  public static final String API_KEYS_CONFIG = "ui.api.keys";
  public static final String FORGETTING_BUDGET_CONFIG = "ui.forgetting.budget";
  public static final String MAX_TRACKS_CONFIG = "ui.max.tracks";
  public static final String MAX_DECISIONS_CONFIG = "ui.max.decisions";
  public static final String MAX_EVALUATIONS_CONFIG = "ui.max.evaluations";
  public static final String MAX_CANDIDATES_CONFIG = "ui.max.candidates";

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              CommonKeys.bootstrapServers(
                  BOOTSTRAP_SERVERS_CONFIG,
                  ConfigDef.NO_DEFAULT_VALUE,
                  "Kafka brokers to read `sluice.adapters.registry`, `.decisions`, `.evaluations`"
                      + " and `.candidates` from."))
          .define(CommonKeys.host(HOST_CONFIG, "Network interface the HTTP server binds."))
          .define(CommonKeys.port(PORT_CONFIG, 8090, "HTTP port; `0` picks a free port."))
          .define(
              API_KEYS_CONFIG,
              Type.PASSWORD,
              "",
              Importance.HIGH,
              "The tenants each key may see, in `ingest.api.keys`' form: `KEY=tenant[|tenant...]`"
                  + " or `KEY=*`, comma-separated. Browsers sign in on `/login` (an HttpOnly,"
                  + " SameSite=Strict cookie); API clients send `Authorization: Bearer KEY`."
                  + " Empty: every tenant is shown to anyone, and every page says so.")
          .define(
              FORGETTING_BUDGET_CONFIG,
              Type.DOUBLE,
              null,
              ConfigDocs.described(
                  "empty, or 0 – 1",
                  (name, value) -> {
                    if (value != null) {
                      Range.between(0, 1).ensureValid(name, value);
                    }
                  }),
              Importance.LOW,
              "The band drawn under each general skill's base score on the track charts. Empty:"
                  + " each evaluation's own budget, the `evaluator.gate.forgetting.budget` its"
                  + " report says the gate applied (`forgettingBudget`; an evaluation whose report"
                  + " has none gets no band). Set, it is drawn for every evaluation instead.")
          .define(
              MAX_TRACKS_CONFIG,
              Type.INT,
              10_000,
              Range.between(1, 1_000_000),
              Importance.LOW,
              "Registry entries held (one per tenant/track); further tracks are counted and left"
                  + " out.")
          .define(
              MAX_DECISIONS_CONFIG,
              Type.INT,
              5_000,
              Range.between(1, 1_000_000),
              Importance.LOW,
              "Newest decisions held; the oldest read is dropped first.")
          .define(
              MAX_EVALUATIONS_CONFIG,
              Type.INT,
              2_000,
              Range.between(1, 1_000_000),
              Importance.LOW,
              "Newest evaluation reports held.")
          .define(
              MAX_CANDIDATES_CONFIG,
              Type.INT,
              5_000,
              Range.between(1, 1_000_000),
              Importance.LOW,
              "Newest candidate events held.");

  /**
   * How many records of each topic the pages hold in memory.
   *
   * @param tracks registry entries (one per tenant/track)
   * @param decisions newest decisions
   * @param evaluations newest evaluation reports
   * @param candidates newest candidate events
   */
  public record Caps(int tracks, int decisions, int evaluations, int candidates) {}

  public UiConfig {
    kafkaClientProperties = Map.copyOf(kafkaClientProperties);
  }

  /** Loads and validates the settings; errors name the offending key. */
  public static UiConfig load(
      Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    return from(Settings.load(CONFIG_DEF, ENV_SCOPE, file, environment, overrides));
  }

  private static UiConfig from(Settings settings) {
    Map<String, Object> v = settings.values();
    return new UiConfig(
        (String) v.get(BOOTSTRAP_SERVERS_CONFIG),
        (String) v.get(HOST_CONFIG),
        (Integer) v.get(PORT_CONFIG),
        ApiKeys.parse(API_KEYS_CONFIG, ((Password) v.get(API_KEYS_CONFIG)).value()),
        v.get(FORGETTING_BUDGET_CONFIG) == null
            ? OptionalDouble.empty()
            : OptionalDouble.of((Double) v.get(FORGETTING_BUDGET_CONFIG)),
        new Caps(
            (Integer) v.get(MAX_TRACKS_CONFIG),
            (Integer) v.get(MAX_DECISIONS_CONFIG),
            (Integer) v.get(MAX_EVALUATIONS_CONFIG),
            (Integer) v.get(MAX_CANDIDATES_CONFIG)),
        settings.kafkaClientProperties());
  }
}
