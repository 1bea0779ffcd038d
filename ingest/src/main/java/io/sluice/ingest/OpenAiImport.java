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
import java.util.Set;

/**
 * Converts lines of an OpenAI fine-tuning JSONL file into native events of one tenant and track:
 *
 * <ul>
 *   <li>chat SFT {@code {"messages": [...]}}: the last message, which must be the assistant's, is the
 *       completion and the ones before it are the prompt (an {@code example} event);
 *   <li>preference {@code {"input": {"messages": [...]}, "preferred_output": [assistant message],
 *       "non_preferred_output": [assistant message]}} (a {@code preference} event).
 * </ul>
 *
 * <p>Only plain-text messages with roles system, user and assistant are supported; anything else
 * (tools, function calls, content parts, weights) is reported, never dropped. Findings point into
 * the OpenAI line, not into the native event built from it. Each event gets a server id and
 * timestamp and the metadata {@code {"import": "openai"}}.
 */
public final class OpenAiImport implements LineConverter {

  /** Metadata key and value marking imported events. */
  public static final String IMPORT_METADATA_KEY = "import";

  public static final String IMPORT_METADATA_VALUE = "openai";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> PREFERENCE_FIELDS =
      Set.of("input", "preferred_output", "non_preferred_output");

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
  public ParseResult convert(JsonNode line) {
    if (line.isObject() && line.has("messages")) {
      return convertChat(line);
    }
    if (line.isObject() && PREFERENCE_FIELDS.stream().anyMatch(line::has)) {
      return convertPreference(line);
    }
    return invalid(
        "",
        "must be an OpenAI chat line {\"messages\": [...]} or a preference line {\"input\":"
            + " {\"messages\": [...]}, \"preferred_output\": [...], \"non_preferred_output\": [...]}");
  }

  private ParseResult convertChat(JsonNode line) {
    List<Violation> violations = unknownFields(line, "", Set.of("messages"));
    JsonNode messages = line.get("messages");
    if (!messages.isArray() || messages.size() < 2) {
      violations.add(
          new Violation(
              "/messages",
              "must be an array of at least one prompt message followed by the assistant's answer"));
      return new ParseResult.Invalid(violations);
    }
    int last = messages.size() - 1;
    JsonNode answer = messages.get(last);
    if (!answer.isObject() || !"assistant".equals(answer.path("role").asText(null))) {
      violations.add(
          new Violation(
              "/messages/" + last + "/role",
              "the last message must be the assistant's answer, which becomes the completion"));
      return new ParseResult.Invalid(violations);
    }
    if (!violations.isEmpty()) {
      return new ParseResult.Invalid(violations);
    }
    ArrayNode prompt = NODES.arrayNode();
    for (int i = 0; i < last; i++) {
      prompt.add(messages.get(i));
    }
    ObjectNode event = event("example", prompt);
    event.set("completion", answer.get("content"));
    String completionPointer = "/messages/" + last;
    return toNative(
        event,
        pointer -> {
          if (pointer.startsWith("/prompt")) {
            return "/messages" + pointer.substring("/prompt".length());
          }
          if (pointer.equals("/completion")) {
            return completionPointer + "/content";
          }
          return pointer;
        },
        answer,
        completionPointer);
  }

  private ParseResult convertPreference(JsonNode line) {
    List<Violation> violations = unknownFields(line, "", PREFERENCE_FIELDS);
    JsonNode input = line.get("input");
    if (input == null || !input.isObject() || !input.has("messages")) {
      violations.add(new Violation("/input", "must be an object with the prompt's \"messages\""));
    } else {
      violations.addAll(unknownFields(input, "/input", Set.of("messages")));
    }
    JsonNode chosen = singleAnswer(line, "preferred_output", violations);
    JsonNode rejected = singleAnswer(line, "non_preferred_output", violations);
    if (!violations.isEmpty()) {
      return new ParseResult.Invalid(violations);
    }
    ObjectNode event = event("preference", input.get("messages"));
    event.set("chosen", chosen.get("content"));
    event.set("rejected", rejected.get("content"));
    return toNative(
        event,
        pointer -> {
          if (pointer.startsWith("/prompt")) {
            return "/input/messages" + pointer.substring("/prompt".length());
          }
          if (pointer.equals("/chosen")) {
            return "/preferred_output/0/content";
          }
          if (pointer.equals("/rejected")) {
            return "/non_preferred_output/0/content";
          }
          return pointer;
        },
        null,
        null);
  }

  /** The one assistant message of {@code field}; reports and returns null otherwise. */
  private static JsonNode singleAnswer(JsonNode line, String field, List<Violation> violations) {
    JsonNode output = line.get(field);
    if (output == null || !output.isArray() || output.size() != 1 || !output.get(0).isObject()) {
      violations.add(new Violation("/" + field, "must be an array of exactly one assistant message"));
      return null;
    }
    JsonNode message = output.get(0);
    String pointer = "/" + field + "/0";
    violations.addAll(unknownFields(message, pointer, Set.of("role", "content")));
    if (!"assistant".equals(message.path("role").asText(null))) {
      violations.add(new Violation(pointer + "/role", "must be \"assistant\""));
    }
    if (!message.path("content").isTextual()) {
      violations.add(new Violation(pointer + "/content", "must be a string"));
    }
    return message;
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
   * Parses the built native event and maps findings back into the OpenAI line. The final assistant
   * message of a chat line may carry only role and content: the native completion is a plain
   * string, so its extra fields are checked here.
   */
  private ParseResult toNative(
      ObjectNode event,
      java.util.function.UnaryOperator<String> toLinePointer,
      JsonNode answer,
      String answerPointer) {
    List<Violation> violations = new ArrayList<>();
    if (answer != null) {
      violations.addAll(unknownFields(answer, answerPointer, Set.of("role", "content")));
    }
    ParseResult result = NativeEvents.parse(event, defaults, limits);
    if (result instanceof ParseResult.Invalid invalid) {
      for (Violation violation : invalid.violations()) {
        violations.add(new Violation(toLinePointer.apply(violation.pointer()), violation.message()));
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
                "is not supported by the OpenAI import; allowed here: " + String.join(", ", known.stream().sorted().toList())));
      }
    }
    return violations;
  }

  private static ParseResult invalid(String pointer, String message) {
    return new ParseResult.Invalid(List.of(new Violation(pointer, message)));
  }
}
