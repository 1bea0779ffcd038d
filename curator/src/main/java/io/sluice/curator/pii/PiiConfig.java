package io.sluice.curator.pii;

import io.sluice.config.ConfigDocs;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * What the anonymizer detects. The curator adds {@link #define(ConfigDef)} to its own definition
 * and builds this record once from the parsed values with {@link #from(Map)}.
 *
 * @param types the kinds of PII replaced; others pass through untouched
 * @param nameMaxTokens the most capitalized words read as one name after a cue
 * @param secretMinLength the shortest value after a credential key ({@code password=}) that is
 *     replaced; shorter ones are too short to be a real credential and are usually prose
 */
public record PiiConfig(Set<PiiType> types, int nameMaxTokens, int secretMinLength) {

  public static final String TYPES_CONFIG = "curator.pii.types";
  public static final String NAME_MAX_TOKENS_CONFIG = "curator.pii.name.max.tokens";
  public static final String SECRET_MIN_LENGTH_CONFIG = "curator.pii.secret.min.length";

  static final int DEFAULT_NAME_MAX_TOKENS = 3;
  static final int DEFAULT_SECRET_MIN_LENGTH = 4;

  public PiiConfig {
    if (nameMaxTokens < 1 || nameMaxTokens > 5) {
      throw new IllegalArgumentException(
          NAME_MAX_TOKENS_CONFIG + " must be within [1, 5] but was " + nameMaxTokens);
    }
    if (secretMinLength < 1 || secretMinLength > 64) {
      throw new IllegalArgumentException(
          SECRET_MIN_LENGTH_CONFIG + " must be within [1, 64] but was " + secretMinLength);
    }
    types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
  }

  /** Every type on, default limits. */
  public static PiiConfig defaults() {
    return new PiiConfig(
        EnumSet.allOf(PiiType.class), DEFAULT_NAME_MAX_TOKENS, DEFAULT_SECRET_MIN_LENGTH);
  }

  /** The same settings with only {@code enabled} detected. */
  public PiiConfig withTypes(Set<PiiType> enabled) {
    return new PiiConfig(enabled, nameMaxTokens, secretMinLength);
  }

  /** Adds the anonymizer's keys to {@code definition} and returns it. */
  public static ConfigDef define(ConfigDef definition) {
    String allTypes =
        Arrays.stream(PiiType.values()).map(Enum::name).collect(Collectors.joining(","));
    return definition
        .define(
            TYPES_CONFIG,
            Type.LIST,
            allTypes,
            ConfigDocs.described(
                "comma-separated `EMAIL,PHONE,CARD,IBAN,SSN,IP,SECRET,NAME`",
                PiiConfig::validateTypes),
            Importance.HIGH,
            "PII types detected and replaced; others pass through.")
        .define(
            NAME_MAX_TOKENS_CONFIG,
            Type.INT,
            DEFAULT_NAME_MAX_TOKENS,
            Range.between(1, 5),
            Importance.LOW,
            "Most capitalized words taken as one name after a cue (\"my name is\").")
        .define(
            SECRET_MIN_LENGTH_CONFIG,
            Type.INT,
            DEFAULT_SECRET_MIN_LENGTH,
            Range.between(1, 64),
            Importance.LOW,
            "Shortest value after a credential key (`password=`) replaced as a secret.");
  }

  /**
   * Builds the record from values parsed by a definition that includes {@link #define(ConfigDef)}.
   */
  public static PiiConfig from(Map<String, ?> parsed) {
    @SuppressWarnings("unchecked")
    List<String> names = (List<String>) parsed.get(TYPES_CONFIG);
    EnumSet<PiiType> types = EnumSet.noneOf(PiiType.class);
    names.forEach(name -> types.add(typeNamed(name)));
    return new PiiConfig(
        types,
        (Integer) parsed.get(NAME_MAX_TOKENS_CONFIG),
        (Integer) parsed.get(SECRET_MIN_LENGTH_CONFIG));
  }

  private static void validateTypes(String key, Object value) {
    @SuppressWarnings("unchecked")
    List<String> names = (List<String>) value;
    for (String name : names) {
      try {
        typeNamed(name);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, value, e.getMessage());
      }
    }
  }

  private static PiiType typeNamed(String name) {
    try {
      return PiiType.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown PII type '" + name + "'; known types are " + Arrays.toString(PiiType.values()),
          e);
    }
  }
}
