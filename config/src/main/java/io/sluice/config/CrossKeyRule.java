package io.sluice.config;

import org.apache.kafka.common.config.ConfigException;

/**
 * A rule between two settings that each key's own validator cannot check, such as "at least the
 * other". A broken rule fails start-up naming the key, its value, the other key and that key's
 * value, so the operator sees both sides of the conflict.
 */
public final class CrossKeyRule {

  private CrossKeyRule() {}

  /**
   * Fails unless {@code holds}, with "{@code key} ... must {@code relation} {@code otherKey}
   * ({@code otherValue}){@code reason}".
   *
   * @param relation how the key must relate to the other, e.g. {@code "be at least"}
   * @param reason said after the other key's value, with its own leading punctuation; may be empty
   * @throws ConfigException when the rule is broken
   */
  public static void require(
      boolean holds,
      String key,
      Object value,
      String relation,
      String otherKey,
      Object otherValue,
      String reason) {
    if (!holds) {
      throw new ConfigException(
          key, value, "must " + relation + " " + otherKey + " (" + otherValue + ")" + reason);
    }
  }
}
