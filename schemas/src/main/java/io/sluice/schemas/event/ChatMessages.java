package io.sluice.schemas.event;

import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.Role;
import java.util.List;

/** Builds {@link ChatMessage}s; the generated all-fields constructor names every tool field. */
public final class ChatMessages {

  private ChatMessages() {}

  /** A plain text turn: no tool calls, no tool call id, no weight. */
  public static ChatMessage of(Role role, String content) {
    return new ChatMessage(role, content, List.of(), null, null);
  }
}
