package io.sluice.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns chat messages into the text a model was trained on, in Java rather than Jinja.
 *
 * <p>Each turn renders as {@code turnPrefix(role) + content + turnSuffix}; the prompt ends with the
 * assistant's turn prefix, and a completion is its text followed by {@code stop}. Segments mark
 * what the loss covers: the body and stop of the answer and of every other trained assistant turn
 * (TRL's assistant-only loss), never headers or other turns. Tools, calls and results are rendered
 * in the family's own {@link ToolFormat}. Which family a checkpoint's own Jinja template belongs to
 * is decided by {@link ChatTemplates#fromCheckpoint}.
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
 * @param defaultSystem system message rendered when a conversation has none (Qwen2.5, SmolLM2), or
 *     null
 * @param systemPreamble text that opens the system turn, which is then always rendered (Llama 3.1's
 *     "Cutting Knowledge Date: …"), or null
 * @param toolFormat how tools, tool calls and tool results are rendered (see {@link ToolFormat})
 */
public record ChatTemplate(
    String name,
    String bos,
    String turnPrefix,
    String turnSuffix,
    String stop,
    boolean trimContent,
    String defaultSystem,
    String systemPreamble,
    ToolFormat toolFormat) {

  /**
   * How a template family renders tools. Each is what the family's own Jinja template renders, so a
   * model is trained on tool calls in the form it was pretrained and is served with.
   */
  public enum ToolFormat {
    /** The checkpoint's template renders no tools: tool data is refused, never guessed. */
    NONE,
    /**
     * Qwen2.5's ChatML (Hermes style): tool signatures in the system turn inside {@code <tools>},
     * calls as {@code <tool_call>{"name", "arguments"}</tool_call>} blocks, results as {@code
     * <tool_response>} blocks in a user turn. Also the default model's format.
     */
    HERMES,
    /**
     * Llama 3.1 / 3.2 Instruct: "Environment: ipython" in the system turn, signatures in the first
     * user turn, one call per turn as {@code {"name", "parameters"}} JSON, results in an {@code
     * ipython} turn.
     */
    LLAMA31_JSON
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HERMES_TOOLS_OPEN =
      "# Tools\n\nYou may call one or more functions to assist with"
          + " the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>";
  private static final String HERMES_TOOLS_CLOSE =
      "\n</tools>\n\nFor each function call, return a json object"
          + " with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\":"
          + " <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";
  private static final String LLAMA31_TOOLS_OPEN =
      "Given the following functions, please respond with a JSON for a"
          + " function call with its proper arguments that best answers the given prompt.\n\nRespond in the format"
          + " {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use"
          + " variables.\n\n";

  public ChatTemplate {
    if (!turnPrefix.contains("{role}")) {
      throw new IllegalArgumentException(
          "turnPrefix must contain {role} but is '" + turnPrefix + "'");
    }
    if (stop.isEmpty()) {
      throw new IllegalArgumentException("stop must not be empty");
    }
  }

  /** A template without trimming, default system message or tools. */
  public ChatTemplate(String bos, String turnPrefix, String turnSuffix, String stop) {
    this("custom", bos, turnPrefix, turnSuffix, stop, false, null, null, ToolFormat.NONE);
  }

  /** ChatML, as Qwen and SmolLM2 use, and the tiny default model, with Hermes-style tools. */
  public static ChatTemplate chatMl() {
    return new ChatTemplate(
        "chatml",
        "",
        "<|im_start|>{role}\n",
        "<|im_end|>\n",
        "<|im_end|>",
        false,
        null,
        null,
        ToolFormat.HERMES);
  }

  /** Llama 3's header-based template; message content is trimmed, as its Jinja does. No tools. */
  public static ChatTemplate llama3() {
    return new ChatTemplate(
        "llama3",
        "<|begin_of_text|>",
        "<|start_header_id|>{role}<|end_header_id|>\n\n",
        "<|eot_id|>",
        "<|eot_id|>",
        true,
        null,
        null,
        ToolFormat.NONE);
  }

  /**
   * Llama 3.1 / 3.2 Instruct: Llama 3's format with a system turn that always opens with the
   * knowledge cutoff and a date, followed by the (trimmed) system message if there is one; JSON
   * tool calls.
   *
   * @param date as the template writes it, e.g. {@code 26 Jul 2024}
   */
  public static ChatTemplate llama31(String date) {
    ChatTemplate llama3 = llama3();
    return new ChatTemplate(
        "llama3.1",
        llama3.bos,
        llama3.turnPrefix,
        llama3.turnSuffix,
        llama3.stop,
        true,
        null,
        "Cutting Knowledge Date: December 2023\nToday Date: " + date + "\n\n",
        ToolFormat.LLAMA31_JSON);
  }

  /** This template with {@code system} rendered when a conversation brings no system message. */
  public ChatTemplate withDefaultSystem(String system) {
    return new ChatTemplate(
        name, bos, turnPrefix, turnSuffix, stop, trimContent, system, systemPreamble, toolFormat);
  }

  /** This template rendering tools as {@code format}. */
  public ChatTemplate withToolFormat(ToolFormat format) {
    return new ChatTemplate(
        name,
        bos,
        turnPrefix,
        turnSuffix,
        stop,
        trimContent,
        defaultSystem,
        systemPreamble,
        format);
  }

  /**
   * A piece of rendered text.
   *
   * @param userText true for message content and completions, which must never become special
   *     tokens; false for the template's structure (role headers, turn separators, stop)
   * @param trained the loss covers its tokens: the body and stop of a trained assistant turn
   */
  public record Segment(String text, boolean userText, boolean trained) {
    public Segment(String text, boolean userText) {
      this(text, userText, false);
    }
  }

  /** The conversation so far, ending where the assistant starts to speak. */
  public List<Segment> promptSegments(List<ChatTurn> messages) {
    return promptSegments(messages, List.of());
  }

  /** As {@link #promptSegments(List)}, offering {@code tools}. */
  public List<Segment> promptSegments(List<ChatTurn> messages, List<ToolSpec> tools) {
    List<Segment> segments = render(messages, tools);
    addStructure(segments, turnPrefix.replace("{role}", "assistant"), false);
    return segments;
  }

  /**
   * A whole conversation as trained: {@code turns} end with the assistant's answer; the body and
   * stop token of every trained assistant turn (the answer always is) are {@link Segment#trained}.
   */
  public List<Segment> conversationSegments(List<ChatTurn> turns, List<ToolSpec> tools) {
    if (turns.isEmpty() || !turns.get(turns.size() - 1).role().equals("assistant")) {
      throw new IllegalArgumentException("a trained conversation ends with the assistant's answer");
    }
    return render(turns, tools);
  }

  /** The assistant's answer as trained: its text and the stop token. */
  public List<Segment> completionSegments(String completion) {
    List<Segment> segments = new ArrayList<>();
    addUserText(segments, content(completion), true);
    segments.add(new Segment(stop, false, true));
    return segments;
  }

  private List<Segment> render(List<ChatTurn> messages, List<ToolSpec> tools) {
    requireToolSupport(messages, tools);
    List<Segment> segments = new ArrayList<>();
    addStructure(segments, bos, false);
    boolean hasSystem = !messages.isEmpty() && isSystem(messages.get(0));
    List<ChatTurn> turns = hasSystem ? messages.subList(1, messages.size()) : messages;
    renderSystem(segments, hasSystem ? messages.get(0).content() : null, tools);
    if (toolFormat == ToolFormat.LLAMA31_JSON && !tools.isEmpty()) {
      renderLlama31ToolsInFirstUserTurn(segments, turns, tools);
      turns = turns.subList(1, turns.size());
    }
    for (int i = 0; i < turns.size(); i++) {
      ChatTurn turn = turns.get(i);
      if (turn.role().equals("tool")) {
        boolean first = i == 0 || !turns.get(i - 1).role().equals("tool");
        boolean last = i == turns.size() - 1 || !turns.get(i + 1).role().equals("tool");
        renderToolResult(segments, turn, first, last);
      } else if (turn.role().equals("assistant")) {
        renderAssistant(segments, turn, i == turns.size() - 1);
      } else {
        addStructure(
            segments, turnPrefix.replace("{role}", isSystem(turn) ? "system" : turn.role()), false);
        addUserText(segments, content(turn.content()), false);
        addStructure(segments, turnSuffix, false);
      }
    }
    return segments;
  }

  private static boolean isSystem(ChatTurn turn) {
    return turn.role().equals("system") || turn.role().equals("developer");
  }

  private void requireToolSupport(List<ChatTurn> turns, List<ToolSpec> tools) {
    boolean usesTools =
        !tools.isEmpty()
            || turns.stream().anyMatch(t -> t.role().equals("tool") || !t.toolCalls().isEmpty());
    if (usesTools && toolFormat == ToolFormat.NONE) {
      throw new ModelFormatException(
          "the base model's chat template ("
              + name
              + ") renders no tool calls, so"
              + " conversations with tools cannot be trained on it without guessing a format; tool calls are rendered"
              + " for ChatML templates with Qwen2.5/Hermes <tool_call> blocks, Llama 3.1/3.2 templates (JSON calls)"
              + " and the default model");
    }
  }

  /** The system turn: the system message (or the default), and for Hermes the tool signatures. */
  private void renderSystem(List<Segment> segments, String system, List<ToolSpec> tools) {
    String header = turnPrefix.replace("{role}", "system");
    if (systemPreamble != null) {
      String environment = tools.isEmpty() ? "" : "Environment: ipython\n";
      addStructure(segments, header + environment + systemPreamble, false);
      if (system != null) {
        addUserText(segments, content(system), false);
      }
      addStructure(segments, turnSuffix, false);
      return;
    }
    boolean hermesTools = toolFormat == ToolFormat.HERMES && !tools.isEmpty();
    if (system == null && !hermesTools) {
      if (defaultSystem != null) {
        // The checkpoint's own default is template text, not something a user wrote.
        addStructure(segments, header + defaultSystem + turnSuffix, false);
      }
      return;
    }
    addStructure(segments, header, false);
    if (system != null) {
      addUserText(segments, content(system), false);
    } else if (defaultSystem != null) {
      addStructure(segments, defaultSystem, false);
    }
    if (hermesTools) {
      // Qwen2.5 always separates its system text from the tools; the default model only when it
      // has a system message.
      boolean opened = defaultSystem != null || (system != null && !content(system).isEmpty());
      addStructure(segments, (opened ? "\n\n" : "") + HERMES_TOOLS_OPEN, false);
      for (ToolSpec tool : tools) {
        addStructure(segments, "\n", false);
        addUserText(segments, PythonJson.dumps(toolJson(tool)), false);
      }
      addStructure(segments, HERMES_TOOLS_CLOSE, false);
    }
    addStructure(segments, turnSuffix, false);
  }

  /** Llama 3.1 puts the signatures in the first user turn, before the user's (trimmed) text. */
  private void renderLlama31ToolsInFirstUserTurn(
      List<Segment> segments, List<ChatTurn> turns, List<ToolSpec> tools) {
    if (turns.isEmpty() || !turns.get(0).role().equals("user")) {
      throw new ModelFormatException(
          "Llama 3.1's template puts the tools in the first user message, but the"
              + " conversation does not start with one");
    }
    addStructure(segments, turnPrefix.replace("{role}", "user") + LLAMA31_TOOLS_OPEN, false);
    for (ToolSpec tool : tools) {
      addUserText(segments, PythonJson.dumps(toolJson(tool), 4), false);
      addStructure(segments, "\n\n", false);
    }
    addUserText(segments, content(turns.get(0).content()), false);
    addStructure(segments, turnSuffix, false);
  }

  /**
   * An assistant turn: header, then body and stop (trained when the turn is), then the rest of the
   * turn's suffix unless the turn ends the sequence. A Hermes turn's body is its text followed by
   * one block per call; Llama 3.1's template renders a turn with a call as the call alone (its text
   * is not rendered).
   */
  private void renderAssistant(List<Segment> segments, ChatTurn turn, boolean last) {
    boolean trained = turn.trained();
    addStructure(segments, turnPrefix.replace("{role}", "assistant"), false);
    if (turn.toolCalls().isEmpty()) {
      addUserText(segments, content(turn.content()), trained);
    } else if (toolFormat == ToolFormat.HERMES) {
      addUserText(segments, turn.content(), trained);
      boolean first = turn.content().isEmpty();
      for (ToolCall call : turn.toolCalls()) {
        addStructure(segments, (first ? "" : "\n") + "<tool_call>\n{\"name\": \"", trained);
        addUserText(segments, call.name(), trained);
        addStructure(segments, "\", \"arguments\": ", trained);
        addUserText(segments, PythonJson.dumps(arguments(call)), trained);
        addStructure(segments, "}\n</tool_call>", trained);
        first = false;
      }
    } else {
      if (turn.toolCalls().size() != 1) {
        throw new ModelFormatException(
            "Llama 3.1's template renders one tool call per assistant turn, but a turn"
                + " makes "
                + turn.toolCalls().size());
      }
      ToolCall call = turn.toolCalls().get(0);
      addStructure(segments, "{\"name\": \"", trained);
      addUserText(segments, call.name(), trained);
      addStructure(segments, "\", \"parameters\": ", trained);
      addUserText(segments, PythonJson.dumps(arguments(call)), trained);
      addStructure(segments, "}", trained);
    }
    if (last) {
      // the sequence ends at the answer's stop token, where generation stops
      addStructure(segments, stop, trained);
    } else if (turnSuffix.startsWith(stop)) {
      // a trained turn learns to stop; the rest of its suffix is context
      addStructure(segments, stop, trained);
      addStructure(segments, turnSuffix.substring(stop.length()), false);
    } else {
      addStructure(segments, turnSuffix, false);
    }
  }

  /**
   * A tool's result. Hermes: consecutive results share one user turn, each in a {@code
   * <tool_response>} block. Llama 3.1: an {@code ipython} turn whose string content its template
   * writes with {@code tojson} (a Jinja string is iterable), so as a JSON string.
   */
  private void renderToolResult(
      List<Segment> segments, ChatTurn turn, boolean first, boolean last) {
    if (toolFormat == ToolFormat.LLAMA31_JSON) {
      addStructure(segments, turnPrefix.replace("{role}", "ipython"), false);
      addUserText(
          segments, PythonJson.dumps(JSON.getNodeFactory().textNode(turn.content())), false);
      addStructure(segments, turnSuffix, false);
      return;
    }
    String open = first ? turnPrefix.replace("{role}", "user") : "\n";
    addStructure(segments, open + "<tool_response>\n", false);
    addUserText(segments, turn.content(), false);
    addStructure(segments, "\n</tool_response>" + (last ? turnSuffix : ""), false);
  }

  /**
   * The OpenAI tool object as transformers renders it: type, then function name, description,
   * parameters.
   */
  private static JsonNode toolJson(ToolSpec tool) {
    ObjectNode json = JSON.createObjectNode();
    json.put("type", "function");
    ObjectNode function = json.putObject("function");
    function.put("name", tool.name());
    if (tool.description() != null) {
      function.put("description", tool.description());
    }
    if (tool.parameters() != null) {
      function.set("parameters", parse(tool.parameters(), "parameters of tool " + tool.name()));
    }
    return json;
  }

  private static JsonNode arguments(ToolCall call) {
    return parse(call.arguments(), "arguments of a call to " + call.name());
  }

  private static JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(what + " are not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private String content(String text) {
    return trimContent ? pythonStrip(text) : text;
  }

  private static void addUserText(List<Segment> segments, String text, boolean trained) {
    if (!text.isEmpty()) {
      segments.add(new Segment(text, true, trained));
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
    return (c >= 0x09 && c <= 0x0D)
        || (c >= 0x1C && c <= 0x20)
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /** {@link #promptSegments} as one string, e.g. to show what the model sees. */
  public String renderPrompt(List<ChatTurn> messages) {
    return join(promptSegments(messages));
  }

  /** {@link #completionSegments} as one string. */
  public String renderCompletion(String completion) {
    return join(completionSegments(completion));
  }

  private static void addStructure(List<Segment> segments, String text, boolean trained) {
    if (text.isEmpty()) {
      return;
    }
    // Adjacent structure is merged so the tokenizer sees it as one run, exactly as rendered.
    Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (last != null && !last.userText() && last.trained() == trained) {
      segments.set(segments.size() - 1, new Segment(last.text() + text, false, trained));
    } else {
      segments.add(new Segment(text, false, trained));
    }
  }

  private static String join(List<Segment> segments) {
    return segments.stream().map(Segment::text).collect(Collectors.joining());
  }
}
