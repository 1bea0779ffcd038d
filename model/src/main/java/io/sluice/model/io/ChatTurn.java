package io.sluice.model.io;

import java.util.List;
import java.util.Set;

/**
 * One chat turn.
 *
 * @param role system, developer (rendered as system), user, assistant or tool
 * @param content the text; empty for an assistant turn that only calls tools
 * @param toolCalls assistant: the calls the turn makes
 * @param toolCallId tool: the call this turn answers, or null
 * @param trained assistant: the loss covers this turn too (OpenAI's weight 1), not only the answer
 */
public record ChatTurn(
    String role, String content, List<ToolCall> toolCalls, String toolCallId, boolean trained) {
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool");

  public ChatTurn {
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be one of " + ROLES + " but is '" + role + "'");
    }
    if (content == null) {
      throw new IllegalArgumentException("content of a " + role + " message must not be null");
    }
    toolCalls = List.copyOf(toolCalls);
    if (!role.equals("assistant") && (!toolCalls.isEmpty() || trained)) {
      throw new IllegalArgumentException(
          "only assistant turns make tool calls or are trained, not " + role);
    }
  }

  /** A text turn that is context only. */
  public ChatTurn(String role, String content) {
    this(role, content, List.of(), null, false);
  }

  public static ChatTurn user(String content) {
    return new ChatTurn("user", content);
  }

  /** An assistant answer: always trained. */
  public static ChatTurn answer(String content, List<ToolCall> toolCalls) {
    return new ChatTurn("assistant", content, toolCalls, null, true);
  }

  /** This turn as context only (a DPO prompt trains no earlier turn). */
  public ChatTurn asContext() {
    return trained ? new ChatTurn(role, content, toolCalls, toolCallId, false) : this;
  }
}
