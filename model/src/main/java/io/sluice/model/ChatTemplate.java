package io.sluice.model;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns chat messages into the text a model was trained on, in Java rather than Jinja.
 *
 * <p>Each turn renders as {@code turnPrefix(role) + content + turnSuffix}; the prompt ends with
 * the assistant's turn prefix, and a completion is its text followed by {@code stop}. Keeping
 * the prompt and completion apart is what lets losses cover the completion only.
 *
 * <p>Rendering yields {@link Segment}s that keep the template's own text apart from what users
 * wrote, so the tokenizer can recognise special tokens in the first and never in the second.
 *
 * @param bos text that opens every conversation (Llama 3's begin-of-text), or ""
 * @param turnPrefix prefix of a turn; {@code {role}} is replaced by the role
 * @param turnSuffix text closing a finished turn
 * @param stop the token that ends the assistant's answer; generation stops there
 */
public record ChatTemplate(String bos, String turnPrefix, String turnSuffix, String stop) {

  public ChatTemplate {
    if (!turnPrefix.contains("{role}")) {
      throw new IllegalArgumentException("turnPrefix must contain {role} but is '" + turnPrefix + "'");
    }
    if (stop.isEmpty()) {
      throw new IllegalArgumentException("stop must not be empty");
    }
  }

  /** ChatML, as Qwen and SmolLM2 use, and the tiny default model. */
  public static ChatTemplate chatMl() {
    return new ChatTemplate("", "<|im_start|>{role}\n", "<|im_end|>\n", "<|im_end|>");
  }

  /** Llama 3's header-based template. */
  public static ChatTemplate llama3() {
    return new ChatTemplate(
        "<|begin_of_text|>", "<|start_header_id|>{role}<|end_header_id|>\n\n", "<|eot_id|>", "<|eot_id|>");
  }

  /**
   * A piece of rendered text.
   *
   * @param userText true for message content and completions, which must never become special
   *     tokens; false for the template's structure (role headers, turn separators, stop)
   */
  public record Segment(String text, boolean userText) {}

  /** The conversation so far, ending where the assistant starts to speak. */
  public List<Segment> promptSegments(List<ChatTurn> messages) {
    List<Segment> segments = new ArrayList<>();
    addStructure(segments, bos);
    for (ChatTurn m : messages) {
      addStructure(segments, turnPrefix.replace("{role}", m.role()));
      segments.add(new Segment(m.content(), true));
      addStructure(segments, turnSuffix);
    }
    addStructure(segments, turnPrefix.replace("{role}", "assistant"));
    return segments;
  }

  /** The assistant's answer as trained: its text and the stop token. */
  public List<Segment> completionSegments(String completion) {
    return List.of(new Segment(completion, true), new Segment(stop, false));
  }

  /** {@link #promptSegments} as one string, e.g. to show what the model sees. */
  public String renderPrompt(List<ChatTurn> messages) {
    return join(promptSegments(messages));
  }

  /** {@link #completionSegments} as one string. */
  public String renderCompletion(String completion) {
    return join(completionSegments(completion));
  }

  private static void addStructure(List<Segment> segments, String text) {
    // Adjacent structure is merged so the tokenizer sees it as one run, exactly as rendered.
    if (!segments.isEmpty() && !segments.get(segments.size() - 1).userText()) {
      Segment last = segments.remove(segments.size() - 1);
      segments.add(new Segment(last.text() + text, false));
    } else if (!text.isEmpty()) {
      segments.add(new Segment(text, false));
    }
  }

  private static String join(List<Segment> segments) {
    return segments.stream().map(Segment::text).collect(Collectors.joining());
  }
}
