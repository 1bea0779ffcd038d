package io.sluice.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import io.sluice.schemas.event.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts lines of an OpenAI fine-tuning JSONL file into native events of one tenant and track:
 *
 * <ul>
 *   <li>chat SFT {@code {"messages": [...], "tools": [...], "parallel_tool_calls": bool}}: the last
 *       message, which must be the assistant's, is the completion (its text and tool calls) and the
 *       ones before it are the prompt (an {@code example} event). Earlier assistant turns are
 *       trained on unless their {@code weight} is 0, as OpenAI trains them, so each gets an
 *       explicit weight;
 *   <li>preference (DPO) {@code {"input": {"messages", "tools", "parallel_tool_calls"},
 *       "preferred_output": [assistant message], "non_preferred_output": [assistant message]}} (a
 *       {@code preference} event).
 * </ul>
 *
 * <p>OpenAI's nested tool forms ({@code {"type": "function", "function": {...}}}) become the native
 * flat ones, and its deprecated functions form is read as tools ({@link LegacyFunctions}); content
 * given as text parts is their text. Anything else the format has (image parts, reinforcement
 * fine-tuning lines, message names) is reported, never dropped, and findings point into the OpenAI
 * line as it was sent, not into the native event built from it. Each event gets a server id and
 * timestamp and the metadata {@code {"import": "openai"}}.
 */
public final class OpenAiImport implements LineConverter {

  /** Metadata key and value marking imported events. */
  public static final String IMPORT_METADATA_KEY = "import";

  public static final String IMPORT_METADATA_VALUE = "openai";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> CHAT_FIELDS = Set.of("messages", "tools", "parallel_tool_calls");
  private static final Set<String> PREFERENCE_FIELDS =
      Set.of("input", "preferred_output", "non_preferred_output");
  private static final Map<String, Set<String>> MESSAGE_FIELDS =
      Map.of(
          "assistant", Set.of("role", "content", "tool_calls", "weight"),
          "tool", Set.of("role", "content", "tool_call_id"));
  private static final Set<String> TEXT_MESSAGE_FIELDS = Set.of("role", "content");
  private static final Set<String> FUNCTION_WRAPPER_FIELDS = Set.of("type", "function");
  private static final Set<String> TOOL_CALL_FIELDS = Set.of("id", "type", "function");
  private static final Set<String> CALLED_FUNCTION_FIELDS = Set.of("name", "arguments");
  private static final Set<String> FUNCTION_FIELDS =
      Set.of("name", "description", "parameters", "strict");

  /** Native field names that sit inside OpenAI's {@code "function"} object. */
  private static final Set<String> FUNCTION_MEMBERS =
      Set.of("name", "arguments", "description", "parameters", "strict");

  private static final String FORMS =
      "must be an OpenAI chat line {\"messages\": [...]} or a preference line {\"input\":"
          + " {\"messages\": [...]}, \"preferred_output\": [...], \"non_preferred_output\":"
          + " [...]}";

  private final String tenant;
  private final String track;
  private final ServerDefaults defaults;
  private final EventLimits limits;

  public OpenAiImport(String tenant, String track, ServerDefaults defaults, EventLimits limits) {
    this.tenant = tenant;
    this.track = track;
    this.defaults = defaults;
    this.limits = limits;
  }

  @Override
  public ParseResult convert(JsonNode sent) {
    if (!sent.isObject()) {
      return invalid("", FORMS);
    }
    ObjectNode line = withoutNullFields((ObjectNode) sent);
    List<Violation> legacyViolations = new ArrayList<>();
    LegacyFunctions legacy = new LegacyFunctions();
    ParseResult result;
    if (line.has("messages")) {
      legacy.modernize(line, "", legacyViolations);
      result = convertChat(line);
    } else if (PREFERENCE_FIELDS.stream().anyMatch(line::has)) {
      if (line.get("input") instanceof ObjectNode input) {
        legacy.modernize(input, "/input", legacyViolations);
      }
      result = convertPreference(line);
    } else {
      return invalid("", FORMS);
    }
    if (legacyViolations.isEmpty() && result instanceof ParseResult.Valid) {
      return result;
    }
    List<Violation> violations = new ArrayList<>(legacyViolations);
    if (result instanceof ParseResult.Invalid invalid) {
      for (Violation violation : invalid.violations()) {
        Violation original =
            new Violation(legacy.original(violation.pointer()), violation.message());
        if (!violations.contains(original)) {
          violations.add(original);
        }
      }
    }
    return new ParseResult.Invalid(violations);
  }

  /**
   * A copy of the line without fields whose value is null, which count as absent as in native
   * events, nor empty {@code annotations}: chat completion messages copied from API answers carry
   * {@code "refusal": null, "annotations": []}. Tool parameter schemas are kept as they are, since
   * null means something in a JSON Schema.
   */
  private static ObjectNode withoutNullFields(ObjectNode object) {
    ObjectNode copy = NODES.objectNode();
    object
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode value = field.getValue();
              boolean noAnnotations =
                  field.getKey().equals("annotations") && value.isArray() && value.isEmpty();
              if (!value.isNull() && !noAnnotations) {
                copy.set(
                    field.getKey(),
                    field.getKey().equals("parameters") ? value.deepCopy() : withoutNulls(value));
              }
            });
    return copy;
  }

  private static JsonNode withoutNulls(JsonNode value) {
    if (value instanceof ObjectNode object) {
      return withoutNullFields(object);
    }
    if (value instanceof ArrayNode array) {
      ArrayNode copy = NODES.arrayNode();
      array.forEach(element -> copy.add(withoutNulls(element)));
      return copy;
    }
    return value;
  }

  private ParseResult convertChat(JsonNode line) {
    List<Violation> violations = unknownFields(line, "", CHAT_FIELDS);
    JsonNode messages = line.get("messages");
    if (!messages.isArray() || messages.size() < 2) {
      violations.add(
          new Violation(
              "/messages",
              "must be an array of at least one prompt message followed by the assistant's"
                  + " answer"));
      return new ParseResult.Invalid(violations);
    }
    int last = messages.size() - 1;
    JsonNode answer = messages.get(last);
    if (!answer.isObject() || !"assistant".equals(answer.path("role").asText(null))) {
      violations.add(
          new Violation(
              "/messages/" + last + "/role",
              "the last message must be the assistant's answer, which becomes the completion"
                  + (answer.path("role").asText("").equals("user")
                      ? "; a line ending with a user turn is a reinforcement fine-tuning prompt,"
                          + " which has no answer to train on and is not supported"
                      : "")));
      return new ParseResult.Invalid(violations);
    }
    String answerPointer = "/messages/" + last;
    ArrayNode prompt = NODES.arrayNode();
    for (int i = 0; i < last; i++) {
      prompt.add(message(messages.get(i), "/messages/" + i, true, violations));
    }
    violations.addAll(unknownFields(answer, answerPointer, MESSAGE_FIELDS.get("assistant")));
    checkAnswerWeight(weight(answer.get("weight")), answerPointer + "/weight", violations);
    ObjectNode event = event("example", prompt);
    event.set("completion", text(answer.get("content"), answerPointer + "/content", violations));
    if (answer.has("tool_calls")) {
      event.set(
          "completion_tool_calls",
          toolCalls(answer.get("tool_calls"), answerPointer + "/tool_calls", violations));
    }
    copyTools(line, "", event, violations);
    return toNative(
        event,
        pointer -> {
          if (pointer.startsWith("/prompt")) {
            return openAiPointer("/messages" + pointer.substring("/prompt".length()));
          }
          if (pointer.equals("/completion")) {
            return answerPointer + "/content";
          }
          if (pointer.startsWith("/completion_tool_calls")) {
            return openAiPointer(
                answerPointer
                    + "/tool_calls"
                    + pointer.substring("/completion_tool_calls".length()));
          }
          return openAiPointer(pointer);
        },
        violations);
  }

  /**
   * A weight written as a decimal ({@code 1.0}, as Python writes a float) is the same weight;
   * anything else is left for the checks to report.
   */
  private static JsonNode weight(JsonNode weight) {
    if (weight != null
        && weight.isFloatingPointNumber()
        && (weight.doubleValue() == 0 || weight.doubleValue() == 1)) {
      return NODES.numberNode(weight.intValue());
    }
    return weight;
  }

  /**
   * OpenAI skips every assistant message of weight 0, the last one too; here the last message is
   * the completion, which is always trained, so weight 0 on it is refused rather than ignored.
   */
  private static void checkAnswerWeight(
      JsonNode weight, String pointer, List<Violation> violations) {
    if (weight == null
        || weight.isNull()
        || (weight.isIntegralNumber() && weight.intValue() == 1)) {
      return;
    }
    violations.add(
        new Violation(
            pointer,
            weight.isIntegralNumber() && weight.intValue() == 0
                ? "the last assistant message is the completion, which is always trained; weight 0"
                    + " is supported on earlier assistant messages only"
                : "must be 0 (context only) or 1 (trained on), but was " + weight));
  }

  private ParseResult convertPreference(JsonNode line) {
    List<Violation> violations = unknownFields(line, "", PREFERENCE_FIELDS);
    JsonNode input = line.get("input");
    ArrayNode prompt = NODES.arrayNode();
    if (input == null || !input.isObject() || !input.has("messages")) {
      violations.add(new Violation("/input", "must be an object with the prompt's \"messages\""));
    } else {
      violations.addAll(unknownFields(input, "/input", CHAT_FIELDS));
      JsonNode messages = input.get("messages");
      if (!messages.isArray()) {
        violations.add(new Violation("/input/messages", "must be an array of messages"));
      } else {
        for (int i = 0; i < messages.size(); i++) {
          prompt.add(message(messages.get(i), "/input/messages/" + i, false, violations));
        }
      }
    }
    JsonNode chosen = singleAnswer(line, "preferred_output", violations);
    JsonNode rejected = singleAnswer(line, "non_preferred_output", violations);
    if (!violations.isEmpty()) {
      return new ParseResult.Invalid(violations);
    }
    ObjectNode event = event("preference", prompt);
    event.set("chosen", chosen);
    event.set("rejected", rejected);
    copyTools(input, "/input", event, violations);
    return toNative(
        event,
        pointer -> {
          if (pointer.startsWith("/prompt")) {
            return openAiPointer("/input/messages" + pointer.substring("/prompt".length()));
          }
          if (pointer.equals("/chosen")) {
            return "/preferred_output/0/content";
          }
          if (pointer.equals("/rejected")) {
            return "/non_preferred_output/0/content";
          }
          if (pointer.startsWith("/tools") || pointer.startsWith("/parallel_tool_calls")) {
            return openAiPointer("/input" + pointer);
          }
          return pointer;
        },
        violations);
  }

  /**
   * The native form of one prompt message: tool calls flattened and, for chat SFT lines ({@code
   * weighted}), an assistant turn's weight made explicit (OpenAI's default is 1).
   */
  private static JsonNode message(
      JsonNode message, String pointer, boolean weighted, List<Violation> violations) {
    if (!message.isObject()) {
      return message; // the native parser reports it, at the same pointer
    }
    String role = message.path("role").asText("");
    Set<String> allowed = MESSAGE_FIELDS.getOrDefault(role, TEXT_MESSAGE_FIELDS);
    if (!weighted && role.equals("assistant")) {
      allowed = Set.of("role", "content", "tool_calls");
    }
    violations.addAll(unknownFields(message, pointer, allowed));
    ObjectNode converted = ((ObjectNode) message).deepCopy();
    if (message.has("content")) {
      converted.set("content", text(message.get("content"), pointer + "/content", violations));
    }
    if (message.has("tool_calls")) {
      converted.set(
          "tool_calls", toolCalls(message.get("tool_calls"), pointer + "/tool_calls", violations));
    }
    if (message.has("weight")) {
      converted.set("weight", weight(message.get("weight")));
    } else if (weighted && role.equals("assistant")) {
      converted.put("weight", 1);
    }
    return converted;
  }

  /**
   * Content as sent: a string as it is, parts {@code [{"type": "text", "text": "..."}]} their text
   * joined, as the model reads it. Other part types (images of vision fine-tuning, audio, files)
   * are refused: Sluice trains text models, and dropping a part would train on a different
   * conversation than the one sent.
   */
  private static JsonNode text(JsonNode content, String pointer, List<Violation> violations) {
    if (content == null || !content.isArray()) {
      return content; // the native parser checks it
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String partPointer = pointer + "/" + i;
      String type = part.path("type").asText("");
      if (!part.isObject() || !type.equals("text")) {
        violations.add(new Violation(partPointer, unsupportedPart(type)));
        continue;
      }
      violations.addAll(unknownFields(part, partPointer, Set.of("type", "text")));
      if (!part.path("text").isTextual()) {
        violations.add(new Violation(partPointer + "/text", "must be a string"));
        continue;
      }
      text.append(part.get("text").textValue());
    }
    return NODES.textNode(text.toString());
  }

  private static String unsupportedPart(String type) {
    String textOnly = "only text parts {\"type\": \"text\", \"text\": \"...\"} are supported";
    return switch (type) {
      case "image_url" ->
          "image parts (vision fine-tuning) are not supported: Sluice trains text-only models; "
              + textOnly;
      case "" -> "a content part must be an object with a \"type\"; " + textOnly;
      default -> "\"" + type + "\" parts are not supported; " + textOnly;
    };
  }

  /**
   * OpenAI's {@code [{"id", "type": "function", "function": {"name", "arguments"}}]}, flattened.
   */
  private static JsonNode toolCalls(JsonNode calls, String pointer, List<Violation> violations) {
    if (!calls.isArray()) {
      return calls; // the native parser reports it
    }
    ArrayNode flat = NODES.arrayNode();
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      String callPointer = pointer + "/" + i;
      if (!call.isObject()) {
        flat.add(call);
        continue;
      }
      violations.addAll(unknownFields(call, callPointer, TOOL_CALL_FIELDS));
      checkFunctionType(call, callPointer, violations);
      ObjectNode flatCall = flat.addObject();
      flatCall.set("id", call.get("id"));
      JsonNode function = call.get("function");
      if (function == null || !function.isObject()) {
        violations.add(
            new Violation(
                callPointer + "/function", "must be an object {\"name\", \"arguments\"}"));
        continue;
      }
      violations.addAll(unknownFields(function, callPointer + "/function", CALLED_FUNCTION_FIELDS));
      flatCall.set("name", function.get("name"));
      flatCall.set("arguments", function.get("arguments"));
    }
    return flat;
  }

  /** {@code tools} ({@code [{"type": "function", "function": {...}}]}) and parallel_tool_calls. */
  private static void copyTools(
      JsonNode source, String pointer, ObjectNode event, List<Violation> violations) {
    if (source.has("parallel_tool_calls")) {
      event.set("parallel_tool_calls", source.get("parallel_tool_calls"));
    }
    JsonNode tools = source.get("tools");
    if (tools == null || tools.isNull()) {
      return;
    }
    if (!tools.isArray()) {
      violations.add(
          new Violation(
              pointer + "/tools",
              "must be an array of {\"type\": \"function\", \"function\": {...}}"));
      return;
    }
    ArrayNode flat = event.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String toolPointer = pointer + "/tools/" + i;
      if (!tool.isObject() || !tool.path("function").isObject()) {
        violations.add(
            new Violation(
                toolPointer, "must be {\"type\": \"function\", \"function\": {\"name\", ...}}"));
        continue;
      }
      violations.addAll(unknownFields(tool, toolPointer, FUNCTION_WRAPPER_FIELDS));
      checkFunctionType(tool, toolPointer, violations);
      violations.addAll(
          unknownFields(tool.get("function"), toolPointer + "/function", FUNCTION_FIELDS));
      flat.add(tool.get("function").deepCopy());
    }
  }

  private static void checkFunctionType(
      JsonNode object, String pointer, List<Violation> violations) {
    JsonNode type = object.get("type");
    if (type == null || !"function".equals(type.asText(null))) {
      violations.add(
          new Violation(
              pointer + "/type", "must be \"function\", the only tool type of the format"));
    }
  }

  /** The text of the one assistant message of {@code field}; reports and returns null otherwise. */
  private static JsonNode singleAnswer(JsonNode line, String field, List<Violation> violations) {
    JsonNode output = line.get(field);
    if (output == null || !output.isArray() || output.size() != 1 || !output.get(0).isObject()) {
      violations.add(
          new Violation("/" + field, "must be an array of exactly one assistant message"));
      return null;
    }
    JsonNode message = output.get(0);
    String pointer = "/" + field + "/0";
    violations.addAll(unknownFields(message, pointer, TEXT_MESSAGE_FIELDS));
    if (!"assistant".equals(message.path("role").asText(null))) {
      violations.add(new Violation(pointer + "/role", "must be \"assistant\""));
    }
    JsonNode text = text(message.get("content"), pointer + "/content", violations);
    if (text == null || !text.isTextual()) {
      violations.add(
          new Violation(
              pointer + "/content", "must be a string (DPO answers are text, without tool calls)"));
    }
    return text;
  }

  private ObjectNode event(String type, JsonNode prompt) {
    ObjectNode event = NODES.objectNode();
    event.put("type", type);
    event.put("tenant", tenant);
    event.put("track", track);
    event.putObject("metadata").put(IMPORT_METADATA_KEY, IMPORT_METADATA_VALUE);
    event.set("prompt", prompt);
    return event;
  }

  /**
   * A pointer into the native event, rewritten into OpenAI's nesting: a tool call's or tool's name,
   * arguments, description, parameters and strict sit inside its {@code function} object.
   */
  static String openAiPointer(String pointer) {
    String[] tokens = pointer.split("/", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < tokens.length; i++) {
      boolean insideCallOrTool =
          i >= 3 && (tokens[i - 2].equals("tool_calls") || tokens[i - 2].equals("tools"));
      if (insideCallOrTool && FUNCTION_MEMBERS.contains(tokens[i])) {
        out.append("/function");
      }
      out.append('/').append(tokens[i]);
    }
    return out.toString();
  }

  /** Parses the built native event and maps its findings back into the OpenAI line. */
  private ParseResult toNative(
      ObjectNode event,
      java.util.function.UnaryOperator<String> toLinePointer,
      List<Violation> lineViolations) {
    List<Violation> violations = new ArrayList<>(lineViolations);
    ParseResult result = NativeEvents.parse(event, defaults, limits);
    if (result instanceof ParseResult.Invalid invalid) {
      for (Violation violation : invalid.violations()) {
        Violation mapped =
            new Violation(toLinePointer.apply(violation.pointer()), violation.message());
        if (!violations.contains(mapped)) {
          violations.add(mapped);
        }
      }
    }
    return violations.isEmpty() ? result : new ParseResult.Invalid(violations);
  }

  private static List<Violation> unknownFields(JsonNode object, String pointer, Set<String> known) {
    List<Violation> violations = new ArrayList<>();
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        violations.add(
            new Violation(
                Violation.child(pointer, name),
                name.equals("name")
                    ? "message names are not supported: Sluice's chat messages have no"
                        + " participant name, and dropping it would change the conversation"
                    : "is not part of the OpenAI fine-tuning format here; allowed: "
                        + String.join(", ", new TreeSet<>(known))));
      }
    }
    return violations;
  }

  private static ParseResult invalid(String pointer, String message) {
    return new ParseResult.Invalid(List.of(new Violation(pointer, message)));
  }
}
