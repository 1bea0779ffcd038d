package io.sluice.model;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns chat messages into the text a model was trained on, in Java rather than Jinja.
 *
 * <p>Each turn renders as {@code turnPrefix(role) + content + turnSuffix}; the prompt ends with
 * the assistant's turn prefix, and a completion is its text followed by {@code stop}. Keeping
 * the prompt and completion apart is what lets losses cover the completion only. Which family a
 * checkpoint's own Jinja template belongs to is decided by {@link ChatTemplates#fromCheckpoint}.
 *
 * <p>Rendering yields {@link Segment}s that keep the template's own text apart from what users
 * wrote, so the tokenizer can recognise special tokens in the first and never in the second.
 *
 * @param name the family, e.g. {@code chatml} or {@code llama3}
 * @param bos text that opens every conversation (Llama 3's begin-of-text), or ""
 * @param turnPrefix prefix of a turn; {@code {role}} is replaced by the role
 * @param turnSuffix text closing a finished turn
 * @param stop the token that ends the assistant's answer; generation stops there
 * @param trimContent strip surrounding whitespace from every message and completion, as Jinja's
 *     {@code | trim} does (Llama 3)
 * @param defaultSystem system message rendered when a conversation has none (Qwen2.5, SmolLM2),
 *     or null
 * @param systemPreamble text that opens the system turn, which is then always rendered (Llama
 *     3.1's "Cutting Knowledge Date: …"), or null
 */
public record ChatTemplate(
    String name, String bos, String turnPrefix, String turnSuffix, String stop, boolean trimContent,
    String defaultSystem, String systemPreamble) {

  public ChatTemplate {
    if (!turnPrefix.contains("{role}")) {
      throw new IllegalArgumentException("turnPrefix must contain {role} but is '" + turnPrefix + "'");
    }
    if (stop.isEmpty()) {
      throw new IllegalArgumentException("stop must not be empty");
    }
  }

  /** A template without trimming or default system message. */
  public ChatTemplate(String bos, String turnPrefix, String turnSuffix, String stop) {
    this("custom", bos, turnPrefix, turnSuffix, stop, false, null, null);
  }

  /** ChatML, as Qwen and SmolLM2 use, and the tiny default model. */
  public static ChatTemplate chatMl() {
    return new ChatTemplate("chatml", "", "<|im_start|>{role}\n", "<|im_end|>\n", "<|im_end|>", false, null, null);
  }

  /** Llama 3's header-based template; message content is trimmed, as its Jinja does. */
  public static ChatTemplate llama3() {
    return new ChatTemplate("llama3", "<|begin_of_text|>", "<|start_header_id|>{role}<|end_header_id|>\n\n",
        "<|eot_id|>", "<|eot_id|>", true, null, null);
  }

  /**
   * Llama 3.1 / 3.2 Instruct: Llama 3's format with a system turn that always opens with the
   * knowledge cutoff and a date, followed by the (trimmed) system message if there is one.
   *
   * @param date as the template writes it, e.g. {@code 26 Jul 2024}
   */
  public static ChatTemplate llama31(String date) {
    ChatTemplate llama3 = llama3();
    return new ChatTemplate("llama3.1", llama3.bos, llama3.turnPrefix, llama3.turnSuffix, llama3.stop, true, null,
        "Cutting Knowledge Date: December 2023\nToday Date: " + date + "\n\n");
  }

  /** This template with {@code system} rendered when a conversation brings no system message. */
  public ChatTemplate withDefaultSystem(String system) {
    return new ChatTemplate(name, bos, turnPrefix, turnSuffix, stop, trimContent, system, systemPreamble);
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
    boolean hasSystem = !messages.isEmpty() && messages.get(0).role().equals("system");
    List<ChatTurn> turns = messages;
    if (systemPreamble != null) {
      addStructure(segments, turnPrefix.replace("{role}", "system") + systemPreamble);
      if (hasSystem) {
        addUserText(segments, content(messages.get(0).content()));
        turns = messages.subList(1, messages.size());
      }
      addStructure(segments, turnSuffix);
    } else if (defaultSystem != null && !hasSystem) {
      // The checkpoint's own default is template text, not something a user wrote.
      addStructure(segments, turnPrefix.replace("{role}", "system") + defaultSystem + turnSuffix);
    }
    for (ChatTurn m : turns) {
      addStructure(segments, turnPrefix.replace("{role}", m.role()));
      addUserText(segments, content(m.content()));
      addStructure(segments, turnSuffix);
    }
    addStructure(segments, turnPrefix.replace("{role}", "assistant"));
    return segments;
  }

  /** The assistant's answer as trained: its text and the stop token. */
  public List<Segment> completionSegments(String completion) {
    List<Segment> segments = new ArrayList<>();
    addUserText(segments, content(completion));
    segments.add(new Segment(stop, false));
    return segments;
  }

  private String content(String text) {
    return trimContent ? pythonStrip(text) : text;
  }

  private static void addUserText(List<Segment> segments, String text) {
    if (!text.isEmpty()) {
      segments.add(new Segment(text, true));
    }
  }

  /**
   * Python's {@code str.strip()}, which Jinja's {@code trim} is: it strips what Python calls
   * whitespace, a larger set than Java's {@link String#strip()} (e.g. U+001C–U+001F, U+0085).
   */
  static String pythonStrip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isPythonSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isPythonSpace(char c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
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
