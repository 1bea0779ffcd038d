package io.sluice.curator.convert;

import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.ToolCall;
import io.sluice.schemas.avro.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A would-be training record derived from one raw event, before it is filtered, deduplicated and
 * split. SFT candidates carry {@code completion}; PREFERENCE candidates carry {@code chosen} and
 * {@code rejected}; BINARY_FEEDBACK candidates carry the voted response in {@code completion} and
 * its {@code label}; the other answer fields are null.
 *
 * @param id curated id: the source id, suffixed when the source yields several records
 * @param prompt plain text ({@link String}) or chat turns ({@code List<ChatMessage>}), as in Avro
 * @param completionToolCalls SFT: the calls the completion makes (its text may then be empty)
 * @param tools the functions the conversation offers, carried unchanged
 * @param parallelToolCalls the source's parallel_tool_calls, or null
 */
public record Candidate(
    String id,
    String sourceId,
    String tenant,
    String track,
    ExampleKind kind,
    Origin origin,
    Object prompt,
    String completion,
    String chosen,
    String rejected,
    FeedbackLabel label,
    List<ToolCall> completionToolCalls,
    List<ToolDefinition> tools,
    Boolean parallelToolCalls) {

  public Candidate {
    completionToolCalls = List.copyOf(completionToolCalls);
    tools = List.copyOf(tools);
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(prompt, "prompt");
    if (!(prompt instanceof CharSequence || prompt instanceof List)) {
      throw new IllegalArgumentException(
          "prompt must be text or chat messages but was " + prompt.getClass().getName());
    }
    if (kind == ExampleKind.SFT && completion == null) {
      throw new IllegalArgumentException("SFT candidate " + id + " has no completion");
    }
    if (kind == ExampleKind.PREFERENCE && (chosen == null || rejected == null)) {
      throw new IllegalArgumentException(
          "PREFERENCE candidate " + id + " needs chosen and rejected");
    }
    if ((kind == ExampleKind.BINARY_FEEDBACK) != (label != null)) {
      throw new IllegalArgumentException(
          "candidate "
              + id
              + " of kind "
              + kind
              + (label == null ? " needs a label" : " cannot have a label"));
    }
    if (kind == ExampleKind.BINARY_FEEDBACK && completion == null) {
      throw new IllegalArgumentException("BINARY_FEEDBACK candidate " + id + " has no response");
    }
  }

  /** A candidate without a label or tools (SFT or PREFERENCE). */
  public Candidate(
      String id,
      String sourceId,
      String tenant,
      String track,
      ExampleKind kind,
      Origin origin,
      Object prompt,
      String completion,
      String chosen,
      String rejected) {
    this(id, sourceId, tenant, track, kind, origin, prompt, completion, chosen, rejected, null);
  }

  /** A candidate without tools; {@code label} only for BINARY_FEEDBACK. */
  public Candidate(
      String id,
      String sourceId,
      String tenant,
      String track,
      ExampleKind kind,
      Origin origin,
      Object prompt,
      String completion,
      String chosen,
      String rejected,
      FeedbackLabel label) {
    this(
        id,
        sourceId,
        tenant,
        track,
        kind,
        origin,
        prompt,
        completion,
        chosen,
        rejected,
        label,
        List.of(),
        List.of(),
        null);
  }

  /** A candidate without a label (SFT or PREFERENCE), with the tools of its conversation. */
  public Candidate(
      String id,
      String sourceId,
      String tenant,
      String track,
      ExampleKind kind,
      Origin origin,
      Object prompt,
      String completion,
      String chosen,
      String rejected,
      List<ToolCall> completionToolCalls,
      List<ToolDefinition> tools,
      Boolean parallelToolCalls) {
    this(
        id,
        sourceId,
        tenant,
        track,
        kind,
        origin,
        prompt,
        completion,
        chosen,
        rejected,
        null,
        completionToolCalls,
        tools,
        parallelToolCalls);
  }

  /**
   * The answers as filters and near-duplicate detection judge them, in {@link #answers} order: an
   * SFT completion includes the calls it makes.
   */
  public List<String> answerTexts() {
    return kind == ExampleKind.SFT
        ? List.of(ToolTexts.visibleText(completion, completionToolCalls))
        : answers();
  }

  /**
   * The answers the record trains on, in schema order: completion (or response), or chosen then
   * rejected.
   */
  public List<String> answers() {
    return kind == ExampleKind.PREFERENCE ? List.of(chosen, rejected) : List.of(completion);
  }

  /** The chat turns of the prompt; a plain-text prompt is one user turn. */
  public List<ChatMessage> promptTurns() {
    return PromptTurns.of(prompt);
  }

  /** The same candidate with every text (prompt turns and answers) passed through {@code edit}. */
  public Candidate mapTexts(UnaryOperator<String> edit) {
    return new Candidate(
        id,
        sourceId,
        tenant,
        track,
        kind,
        origin,
        mapPrompt(prompt, edit),
        completion == null ? null : edit.apply(completion),
        chosen == null ? null : edit.apply(chosen),
        rejected == null ? null : edit.apply(rejected),
        label,
        ToolTexts.mapCalls(completionToolCalls, edit),
        tools,
        parallelToolCalls);
  }

  static Object mapPrompt(Object prompt, UnaryOperator<String> edit) {
    if (prompt instanceof CharSequence text) {
      return edit.apply(text.toString());
    }
    List<ChatMessage> mapped = new ArrayList<>();
    for (ChatMessage turn : PromptTurns.of(prompt)) {
      mapped.add(ToolTexts.mapTurn(turn, edit));
    }
    return mapped;
  }
}
