package io.sluice.curator.convert;

import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
import java.util.ArrayList;
import java.util.List;

/** Reads the Avro {@code prompt} union (text or chat turns) as a list of turns. */
public final class PromptTurns {

  private PromptTurns() {}

  /** The turns of {@code prompt}; a plain-text prompt is a single user turn. */
  public static List<ChatMessage> of(Object prompt) {
    if (prompt instanceof CharSequence text) {
      return List.of(ChatMessages.of(Role.user, text.toString()));
    }
    List<ChatMessage> turns = new ArrayList<>();
    for (Object item : (List<?>) prompt) {
      turns.add((ChatMessage) item);
    }
    return turns;
  }
}
