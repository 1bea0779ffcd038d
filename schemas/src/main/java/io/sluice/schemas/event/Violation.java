package io.sluice.schemas.event;

import java.util.Objects;

/**
 * One reason an event was refused.
 *
 * @param pointer RFC 6901 JSON Pointer to the offending value in the native JSON form ({@code ""}
 *     is the whole event, {@code /prompt/1/role} the role of the second message)
 * @param message what is wrong, for a human, without repeating the pointer
 */
public record Violation(String pointer, String message) {

  public Violation {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The pointer to {@code token} inside {@code parent}, escaping {@code ~} and {@code /} as RFC
   * 6901 says.
   */
  public static String child(String parent, String token) {
    return parent + "/" + token.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer to array element {@code index} inside {@code parent}. */
  public static String child(String parent, int index) {
    return parent + "/" + index;
  }

  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(event)" : pointer) + ": " + message;
  }
}
