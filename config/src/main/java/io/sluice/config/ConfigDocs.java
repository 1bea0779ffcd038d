package io.sluice.config;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders a service's {@link ConfigDef} as the Markdown table of docs/configuration.md, so that the
 * reference is generated from the definitions the service validates with and cannot drift from
 * them. Each table sits between {@code <!-- config:NAME -->} and {@code <!-- /config:NAME -->}.
 */
public final class ConfigDocs {

  private static final Pattern RANGE = Pattern.compile("\\[(.*?),\\.\\.\\.(?:,(.*))?]");
  private static final long KIB = 1024;
  private static final long MINUTE_MS = 60_000;

  private ConfigDocs() {}

  /**
   * A validator whose rule needs words in the reference (a lambda or a cross-key constraint):
   * {@code ConfigDocs.described("e.g. 90s, 10m, 1h", durationRule)}.
   */
  public static Validator described(String description, Validator rule) {
    return new DescribedValidator(description, rule);
  }

  /**
   * The table: one row per key in definition order.
   *
   * @param perTrackKeys keys a track may override; an extra "per track" column when not empty
   * @throws IllegalStateException naming a key whose validator cannot be put into words
   */
  public static String table(ConfigDef definition, Set<String> perTrackKeys) {
    boolean tracks = !perTrackKeys.isEmpty();
    StringBuilder table = new StringBuilder();
    table.append(
        tracks
            ? "| key | default | valid | per track | meaning |\n|---|---|---|---|---|\n"
            : "| key | default | valid | meaning |\n|---|---|---|---|\n");
    for (ConfigKey key : definition.configKeys().values()) {
      table
          .append("| `")
          .append(key.name)
          .append("` | ")
          .append(cell(defaultOf(key)))
          .append(" | ")
          .append(cell(validOf(key)))
          .append(" | ");
      if (tracks) {
        table.append(perTrackKeys.contains(key.name) ? "yes" : "").append(" | ");
      }
      table.append(cell(key.documentation)).append(" |\n");
    }
    return table.toString();
  }

  /**
   * {@code document} with its section {@code name} replaced by {@code table}.
   *
   * @throws IllegalArgumentException when the document lacks the section's markers
   */
  public static String replaceSection(String document, String name, String table) {
    String begin = "<!-- config:" + name + " -->\n";
    String end = "<!-- /config:" + name + " -->";
    int from = document.indexOf(begin);
    int to = document.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(
          "the document has no section '" + begin.strip() + "' ... '" + end + "'");
    }
    return document.substring(0, from + begin.length()) + table + document.substring(to);
  }

  private static String defaultOf(ConfigKey key) {
    Object value = key.defaultValue;
    if (value == ConfigDef.NO_DEFAULT_VALUE) {
      return "(required)";
    }
    if (value instanceof Password password) {
      value = password.value();
    }
    if (value instanceof List<?> list) {
      value = String.join(",", list.stream().map(Object::toString).toList());
    }
    if (value == null || value.toString().isEmpty()) {
      return "empty";
    }
    if (value instanceof Double number) {
      return "`" + decimal(number) + "`";
    }
    return "`" + value + "`" + unitNote(key.name, value);
  }

  /** "(4 MiB)" after a byte count, "(10 min)" after milliseconds, where it reads easier. */
  private static String unitNote(String name, Object value) {
    if (!(value instanceof Integer || value instanceof Long)) {
      return "";
    }
    long n = ((Number) value).longValue();
    if (name.endsWith(".bytes") && n >= KIB) {
      String[] units = {"KiB", "MiB", "GiB", "TiB"};
      int unit = -1;
      while (n % KIB == 0 && n >= KIB && unit < units.length - 1) {
        n /= KIB;
        unit++;
      }
      return unit < 0 ? "" : " (" + n + " " + units[unit] + ")";
    }
    if (name.endsWith(".ms") && n >= MINUTE_MS && n % MINUTE_MS == 0) {
      long minutes = n / MINUTE_MS;
      return minutes % (24 * 60) == 0
          ? " (" + minutes / (24 * 60) + " days)"
          : minutes % 60 == 0 ? " (" + minutes / 60 + " h)" : " (" + minutes + " min)";
    }
    return "";
  }

  private static String validOf(ConfigKey key) {
    Validator validator = key.validator;
    if (validator == null) {
      return switch (key.type) {
        case LIST -> "comma-separated";
        case PASSWORD -> "secret (never logged)";
        default -> "any " + key.type.name().toLowerCase(Locale.ROOT);
      };
    }
    if (validator instanceof DescribedValidator described) {
      return described.description();
    }
    if (validator instanceof ConfigDef.NonEmptyString) {
      return "non-empty";
    }
    String text = validator.toString();
    Matcher range = RANGE.matcher(text);
    if (validator instanceof ConfigDef.Range && range.matches()) {
      String min = range.group(1);
      String max = range.group(2);
      return min.isEmpty()
          ? "≤ " + number(key, max)
          : max == null ? "≥ " + number(key, min) : number(key, min) + " – " + number(key, max);
    }
    if (validator instanceof ConfigDef.ValidString || validator instanceof ConfigDef.ValidList) {
      return text.substring(1, text.length() - 1);
    }
    throw new IllegalStateException(
        "the validator of "
            + key.name
            + " ("
            + text
            + ") cannot be"
            + " put into words: wrap it in ConfigDocs.described(...)");
  }

  private static String number(ConfigKey key, String text) {
    try {
      long n = Long.parseLong(text);
      String inUnits = unitNote(key.name, n);
      if (key.name.endsWith(".bytes") && !inUnits.isEmpty()) {
        return inUnits.substring(2, inUnits.length() - 1);
      }
      return Math.abs(n) < 100_000 ? text : NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
    } catch (NumberFormatException notAnInteger) {
      return decimal(Double.parseDouble(text));
    }
  }

  /** 0.25 as it is, but 2e-4 rather than 2.0E-4 or 0.0002. */
  private static String decimal(double value) {
    BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros();
    if (value == 0 || Math.abs(value) >= 1e-3) {
      return exact.toPlainString();
    }
    String digits = exact.unscaledValue().abs().toString();
    int exponent = exact.precision() - exact.scale() - 1;
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (value < 0 ? "-" : "") + mantissa + "e" + exponent;
  }

  private static String cell(String text) {
    return text.replace("\n", " ").replace("|", "\\|");
  }

  private record DescribedValidator(String description, Validator rule) implements Validator {
    @Override
    public void ensureValid(String name, Object value) {
      rule.ensureValid(name, value);
    }

    @Override
    public String toString() {
      return description;
    }
  }
}
