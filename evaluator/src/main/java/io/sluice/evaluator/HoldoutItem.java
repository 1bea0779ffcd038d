package io.sluice.evaluator;

import io.sluice.model.io.ChatTurn;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One domain holdout item: the conversation, the reference answer (an SFT completion or the chosen
 * side of a pair) and, for pairs, the rejected answer; or, for a vote (binary feedback), the voted
 * response and whether it was desirable.
 *
 * @param rejected null for SFT items and votes
 * @param desirable null unless the item is a vote
 */
public record HoldoutItem(
    String id, List<ChatTurn> messages, String answer, String rejected, Boolean desirable) {
  public HoldoutItem {
    messages = List.copyOf(messages);
    if (messages.isEmpty() || answer == null) {
      throw new IllegalArgumentException("holdout item " + id + " needs a prompt and an answer");
    }
    if (rejected != null && desirable != null) {
      throw new IllegalArgumentException(
          "holdout item " + id + " cannot be both a pair and a vote");
    }
  }

  /** An SFT item ({@code rejected} null) or a pair. */
  public HoldoutItem(String id, List<ChatTurn> messages, String answer, String rejected) {
    this(id, messages, answer, rejected, null);
  }

  public boolean isPair() {
    return rejected != null;
  }

  public boolean isVote() {
    return desirable != null;
  }

  /** An answer the model should give: every item's but a down-voted response. */
  public boolean hasReference() {
    return !Boolean.FALSE.equals(desirable);
  }

  /**
   * The item a curated record stands for, if it is a usable HOLDOUT record. The evaluator keeps its
   * own mapping (it does not depend on the trainer); a record missing its answer is skipped.
   */
  public static Optional<HoldoutItem> from(CuratedExample record) {
    if (record.getSplit() != Split.HOLDOUT || usesTools(record)) {
      return Optional.empty();
    }
    List<ChatTurn> turns = new ArrayList<>();
    Object prompt = record.getPrompt();
    if (prompt instanceof CharSequence text) {
      turns.add(ChatTurn.user(text.toString()));
    } else if (prompt instanceof List<?> list) {
      for (Object m : list) {
        ChatMessage message = (ChatMessage) m;
        turns.add(new ChatTurn(message.getRole().name(), message.getContent()));
      }
    }
    if (turns.isEmpty()) {
      return Optional.empty();
    }
    if (record.getKind() == ExampleKind.SFT) {
      return record.getCompletion() == null
          ? Optional.empty()
          : Optional.of(new HoldoutItem(record.getId(), turns, record.getCompletion(), null));
    }
    if (record.getKind() == ExampleKind.BINARY_FEEDBACK) {
      return record.getCompletion() == null || record.getLabel() == null
          ? Optional.empty()
          : Optional.of(
              new HoldoutItem(
                  record.getId(),
                  turns,
                  record.getCompletion(),
                  null,
                  record.getLabel() == FeedbackLabel.DESIRABLE));
    }
    if (record.getChosen() == null || record.getRejected() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new HoldoutItem(record.getId(), turns, record.getChosen(), record.getRejected()));
  }

  /**
   * Records with tools, tool calls or tool results are not scored yet: the domain score compares
   * text answers, and a call-only answer has none.
   */
  private static boolean usesTools(CuratedExample record) {
    return !record.getTools().isEmpty()
        || !record.getCompletionToolCalls().isEmpty()
        || (record.getPrompt() instanceof List<?> turns
            && turns.stream()
                .map(ChatMessage.class::cast)
                .anyMatch(m -> !m.getToolCalls().isEmpty() || m.getToolCallId() != null));
  }
}
