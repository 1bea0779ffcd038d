package io.sluice.model;

import java.util.Set;

/** One chat turn; role is system, user or assistant. */
public record ChatTurn(String role, String content) {
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");

  public ChatTurn {
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be one of " + ROLES + " but is '" + role + "'");
    }
    if (content == null) {
      throw new IllegalArgumentException("content of a " + role + " message must not be null");
    }
  }

  public static ChatTurn user(String content) {
    return new ChatTurn("user", content);
  }
}
