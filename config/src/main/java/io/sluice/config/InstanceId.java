package io.sluice.config;

import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A service instance's stable name (the {@code *.instance.id} keys), used as the Kafka consumer's
 * {@code group.instance.id}: with it a member is static, so an instance that restarts under the
 * same name takes its partitions back at once instead of after {@code session.timeout.ms}. On
 * Kubernetes it is the pod name; two instances running at once must never share one (the later
 * fences the earlier).
 */
public final class InstanceId {

  /**
   * Longest accepted id. Kafka allows 249 characters; Sluice and Kafka Streams append suffixes (a
   * thread index, a group prefix), so keep a margin.
   */
  public static final int MAX_LENGTH = 200;

  private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

  /** Accepts an empty value (no static membership) or a legal id; refuses anything else by name. */
  public static final ConfigDef.Validator VALIDATOR =
      ConfigDocs.described(
          "empty, or up to " + MAX_LENGTH + " of `A-Z a-z 0-9 . _ -`", InstanceId::ensureLegal);

  private InstanceId() {}

  private static void ensureLegal(String name, Object value) {
    String id = value == null ? "" : ((String) value).strip();
    if (!id.isEmpty() && !LEGAL.matcher(id).matches()) {
      throw new ConfigException(
          name,
          value,
          "must be at most "
              + MAX_LENGTH
              + " characters of letters, digits, '.', '_' and '-' (a pod name is), or empty");
    }
  }

  /** The configured id, stripped; empty when the key was left empty. */
  public static Optional<String> of(Object value) {
    String id = value == null ? "" : ((String) value).strip();
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }
}
