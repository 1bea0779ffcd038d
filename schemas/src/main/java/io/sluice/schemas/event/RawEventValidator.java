package io.sluice.schemas.event;

import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.ToolCall;
import io.sluice.schemas.avro.ToolDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The field rules of a native event, applied to a {@link RawEvent} however it was made: parsed from
 * JSON by {@link NativeEvents}, or read from {@code sluice.events.raw}, which other producers may
 * write too. Violations point into the event's native JSON form.
 */
public final class RawEventValidator {

  /** Tenant and track names: lowercase, digits and dashes, so they are safe in paths and keys. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Earliest and latest timestamps: four-digit years, so every value has one ISO-8601 spelling. */
  static final Instant MIN_TIMESTAMP = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant MAX_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999Z");

  static final String RATING_RULE = "must be \"up\", \"down\" or an integer from 1 to 5";

  static final String WEIGHT_RULE = "must be 0 (context only) or 1 (trained on)";

  /** Function names as OpenAI accepts them. */
  public static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** Most tool definitions per event, and most calls per assistant turn: OpenAI's tool limit. */
  public static final int MAX_TOOLS = 128;

  private static final Map<EventType, List<String>> REQUIRED =
      Map.of(
          EventType.example, List.of("completion"),
          EventType.preference, List.of("chosen", "rejected"),
          EventType.feedback, List.of("response", "rating"));

  private static final Map<EventType, List<String>> ALLOWED =
      Map.of(
          EventType.example, List.of("completion"),
          EventType.preference, List.of("chosen", "rejected"),
          EventType.feedback, List.of("response", "rating", "correction", "comment"));

  private static final Set<String> RATING_WORDS = Set.of("up", "down");

  private final EventLimits limits;
  private final List<Violation> violations = new ArrayList<>();

  private RawEventValidator(EventLimits limits) {
    this.limits = limits;
  }

  /** Checks the event against the {@link EventLimits#DEFAULT default limits}. */
  public static List<Violation> validate(RawEvent event) {
    return validate(event, EventLimits.DEFAULT);
  }

  /** Every rule the event breaks, in field order; empty when it is valid. */
  public static List<Violation> validate(RawEvent event, EventLimits limits) {
    RawEventValidator validator = new RawEventValidator(limits);
    validator.check(event);
    return List.copyOf(validator.violations);
  }

  private void check(RawEvent event) {
    if (present("/id", event.getId())) {
      checkLine("/id", event.getId(), limits.maxIdLength());
    }
    present("/type", event.getType());
    checkName("/tenant", event.getTenant());
    checkName("/track", event.getTrack());
    if (present("/timestamp", event.getTimestamp())) {
      checkTimestamp(event.getTimestamp());
    }
    checkMetadata(event.getMetadata());
    Set<String> callIds = new HashSet<>();
    if (present("/prompt", event.getPrompt())) {
      checkPrompt(event.getPrompt(), callIds);
    }
    checkTypeFields(event);
    checkToolCalls("/completion_tool_calls", orEmpty(event.getCompletionToolCalls()), callIds);
    if (!orEmpty(event.getCompletionToolCalls()).isEmpty()
        && event.getType() != EventType.example) {
      add("/completion_tool_calls", "is a field of example events only");
    }
    checkTools(orEmpty(event.getTools()));
  }

  private void checkName(String pointer, String value) {
    if (present(pointer, value) && !NAME.matcher(value).matches()) {
      add(
          pointer,
          "must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit"
              + " (pattern "
              + NAME.pattern()
              + "), but was "
              + quote(value));
    }
  }

  private void checkTimestamp(Instant timestamp) {
    if (timestamp.isBefore(MIN_TIMESTAMP) || timestamp.isAfter(MAX_TIMESTAMP)) {
      add("/timestamp", "must be between years 0001 and 9999, but was " + timestamp);
    }
  }

  private void checkMetadata(Map<String, String> metadata) {
    if (metadata == null) {
      add("/metadata", "must be a map of strings to strings (use {} for none)");
      return;
    }
    if (metadata.size() > limits.maxMetadataEntries()) {
      add(
          "/metadata",
          "has " + metadata.size() + " entries; the limit is " + limits.maxMetadataEntries());
      return;
    }
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String pointer = Violation.child("/metadata", entry.getKey());
      if (entry.getKey().isEmpty()) {
        add(pointer, "metadata keys must not be empty");
      } else {
        checkLine(pointer, entry.getKey(), limits.maxMetadataKeyLength());
      }
      if (entry.getValue() == null) {
        add(pointer, "must be a string");
      } else {
        checkText(pointer, entry.getValue(), limits.maxMetadataValueLength(), false);
      }
    }
  }

  private void checkPrompt(Object prompt, Set<String> callIds) {
    if (prompt instanceof String text) {
      checkText("/prompt", text, limits.maxTextLength(), true);
    } else if (prompt instanceof List<?> messages) {
      checkMessages(messages, callIds);
    } else {
      add("/prompt", "must be a string or a list of chat messages");
    }
  }

  private void checkMessages(List<?> messages, Set<String> callIds) {
    if (messages.isEmpty()) {
      add("/prompt", "must contain at least one message");
      return;
    }
    if (messages.size() > limits.maxPromptMessages()) {
      add(
          "/prompt",
          "has " + messages.size() + " messages; the limit is " + limits.maxPromptMessages());
      return;
    }
    for (int i = 0; i < messages.size(); i++) {
      String pointer = Violation.child("/prompt", i);
      if (!(messages.get(i) instanceof ChatMessage message)) {
        add(pointer, "must be a chat message with a role and a content");
        continue;
      }
      present(pointer + "/role", message.getRole());
      boolean callsOnly =
          !orEmpty(message.getToolCalls()).isEmpty() && "".equals(message.getContent());
      if (present(pointer + "/content", message.getContent()) && !callsOnly) {
        checkText(pointer + "/content", message.getContent(), limits.maxTextLength(), true);
      }
      checkToolFields(pointer, message, callIds);
    }
    int last = messages.size() - 1;
    if (messages.get(last) instanceof ChatMessage message
        && message.getRole() != null
        && message.getRole() != Role.user
        && message.getRole() != Role.tool) {
      add(
          Violation.child("/prompt", last) + "/role",
          "the last message must be a user turn (or a tool result), but was " + message.getRole());
    }
  }

  /**
   * Tool calls and weights belong to assistant turns, call ids to tool turns, and a tool turn
   * answers a call made earlier in the conversation; {@code callIds} collects the calls so far.
   */
  private void checkToolFields(String pointer, ChatMessage message, Set<String> callIds) {
    Role role = message.getRole();
    List<ToolCall> calls = orEmpty(message.getToolCalls());
    if (!calls.isEmpty() && role != null && role != Role.assistant) {
      add(
          pointer + "/tool_calls",
          "only assistant turns make tool calls, but this is a " + role + " turn");
    }
    checkToolCalls(pointer + "/tool_calls", calls, callIds);
    Integer weight = message.getWeight();
    if (weight != null && role != null && role != Role.assistant) {
      add(
          pointer + "/weight",
          "only assistant turns have a weight, but this is a " + role + " turn");
    } else if (weight != null && weight != 0 && weight != 1) {
      add(pointer + "/weight", WEIGHT_RULE + ", but was " + weight);
    }
    String callId = message.getToolCallId();
    if (role == Role.tool) {
      if (present(pointer + "/tool_call_id", callId) && !callIds.contains(callId)) {
        add(
            pointer + "/tool_call_id",
            "must be the id of a tool call made earlier in the conversation, but no call has id "
                + quote(callId));
      }
    } else if (callId != null && role != null) {
      add(
          pointer + "/tool_call_id",
          "only tool turns answer a call, but this is a " + role + " turn");
    }
  }

  private void checkToolCalls(String pointer, List<ToolCall> calls, Set<String> callIds) {
    if (calls.size() > MAX_TOOLS) {
      add(pointer, "has " + calls.size() + " calls; the limit is " + MAX_TOOLS);
      return;
    }
    for (int i = 0; i < calls.size(); i++) {
      String callPointer = Violation.child(pointer, i);
      ToolCall call = calls.get(i);
      if (present(callPointer + "/id", call.getId())) {
        checkLine(callPointer + "/id", call.getId(), limits.maxIdLength());
        if (!callIds.add(call.getId())) {
          add(callPointer + "/id", "repeats the id of an earlier call: " + quote(call.getId()));
        }
      }
      checkToolName(callPointer + "/name", call.getName());
      if (present(callPointer + "/arguments", call.getArguments())) {
        checkJsonObject(callPointer + "/arguments", call.getArguments(), "arguments");
      }
    }
  }

  private void checkTools(List<ToolDefinition> tools) {
    if (tools.size() > MAX_TOOLS) {
      add("/tools", "has " + tools.size() + " tools; the limit is " + MAX_TOOLS);
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tools.size(); i++) {
      String pointer = Violation.child("/tools", i);
      ToolDefinition tool = tools.get(i);
      if (checkToolName(pointer + "/name", tool.getName()) && !names.add(tool.getName())) {
        add(pointer + "/name", "repeats the name of an earlier tool: " + quote(tool.getName()));
      }
      if (tool.getDescription() != null) {
        checkText(pointer + "/description", tool.getDescription(), limits.maxTextLength(), false);
      }
      if (tool.getParameters() != null) {
        checkJsonObject(pointer + "/parameters", tool.getParameters(), "parameters");
      }
    }
  }

  private boolean checkToolName(String pointer, String name) {
    if (!present(pointer, name)) {
      return false;
    }
    if (!TOOL_NAME.matcher(name).matches()) {
      add(
          pointer,
          "must be 1 to 64 letters, digits, '_' or '-' (pattern "
              + TOOL_NAME.pattern()
              + "), but was "
              + quote(name));
      return false;
    }
    return true;
  }

  /** Text that must hold exactly one JSON object: call arguments, a tool's JSON Schema. */
  private void checkJsonObject(String pointer, String text, String what) {
    if (text.length() > limits.maxTextLength()) {
      add(pointer, tooLong(text, limits.maxTextLength()));
      return;
    }
    com.fasterxml.jackson.databind.JsonNode json = NativeEvents.parseJson(text);
    if (json == null || !json.isObject()) {
      add(
          pointer,
          what
              + " must be a JSON object written as text, such as \"{\\\"city\\\": \\\"Paris\\\"}\""
              + ", but was "
              + (json == null
                  ? "not valid JSON: "
                  : "a JSON " + json.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ": ")
              + quote(text));
    }
  }

  private void checkTypeFields(RawEvent event) {
    EventType type = event.getType();
    Map<String, Object> fields = typeFields(event);
    if (type != null) {
      for (String name : REQUIRED.get(type)) {
        present("/" + name, fields.get(name));
      }
    }
    fields.forEach(
        (name, value) -> {
          if (value == null) {
            return;
          }
          if (type != null && !ALLOWED.get(type).contains(name)) {
            add(
                "/" + name,
                "is not a field of "
                    + type
                    + " events, which have "
                    + String.join(", ", ALLOWED.get(type)));
          } else if (name.equals("rating")) {
            checkRating(value);
          } else if (name.equals("completion")
              && value.equals("")
              && !orEmpty(event.getCompletionToolCalls()).isEmpty()) {
            return; // an answer that only calls tools has no text
          } else {
            checkText("/" + name, (String) value, limits.maxTextLength(), true);
          }
        });
    if (type == EventType.preference
        && event.getChosen() != null
        && event.getChosen().equals(event.getRejected())) {
      add("/rejected", "must differ from chosen");
    }
  }

  /** The type-specific fields in schema order; a LinkedHashMap, since some values are null. */
  private static Map<String, Object> typeFields(RawEvent event) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("completion", event.getCompletion());
    fields.put("chosen", event.getChosen());
    fields.put("rejected", event.getRejected());
    fields.put("response", event.getResponse());
    fields.put("rating", event.getRating());
    fields.put("correction", event.getCorrection());
    fields.put("comment", event.getComment());
    return fields;
  }

  private void checkRating(Object rating) {
    boolean valid =
        (rating instanceof String word && RATING_WORDS.contains(word))
            || (rating instanceof Integer stars && stars >= 1 && stars <= 5);
    if (!valid) {
      add(
          "/rating",
          RATING_RULE
              + ", but was "
              + (rating instanceof String word ? quote(word) : String.valueOf(rating)));
    }
  }

  /** A single-line string (ids, metadata keys): no control characters at all. */
  private void checkLine(String pointer, String value, int maxLength) {
    if (value.isBlank()) {
      add(pointer, "must not be blank");
    } else if (value.length() > maxLength) {
      add(pointer, tooLong(value, maxLength));
    } else {
      String problem = characterProblem(value, false);
      if (problem != null) {
        add(pointer, problem);
      }
    }
  }

  /** Free text: tab, line feed and carriage return are fine, other control characters are not. */
  private void checkText(String pointer, String value, int maxLength, boolean nonBlank) {
    if (nonBlank && value.isBlank()) {
      add(pointer, "must not be blank");
    } else if (value.length() > maxLength) {
      add(pointer, tooLong(value, maxLength));
    } else {
      String problem = characterProblem(value, true);
      if (problem != null) {
        add(pointer, problem);
      }
    }
  }

  private static String tooLong(String value, int maxLength) {
    return "is " + value.length() + " characters long; the limit is " + maxLength;
  }

  /**
   * The first character that cannot be stored faithfully or displayed safely: a control character
   * (C0, DEL, C1), or an unpaired UTF-16 surrogate, which has no UTF-8 encoding and would be
   * silently replaced when the record is written.
   */
  static String characterProblem(String value, boolean multiline) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        if (multiline && (c == '\t' || c == '\n' || c == '\r')) {
          continue;
        }
        return String.format(
            "contains control character U+%04X at index %d; %s",
            (int) c,
            i,
            multiline ? "only tab, line feed and carriage return are allowed" : "none are allowed");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return String.format(
            "contains an unpaired UTF-16 surrogate U+%04X at index %d", (int) c, i);
      }
    }
    return null;
  }

  /** A list field of a hand-built record may be null; decoded records always have one. */
  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** Records "is required" when the value is missing; returns whether it is present. */
  private boolean present(String pointer, Object value) {
    if (value == null) {
      add(pointer, "is required");
      return false;
    }
    return true;
  }

  private void add(String pointer, String message) {
    violations.add(new Violation(pointer, message));
  }

  /** The value in quotes, cut short so that a huge bad value does not make a huge error. */
  static String quote(String value) {
    int max = 80;
    return value.length() <= max ? "\"" + value + "\"" : "\"" + value.substring(0, max) + "…\"";
  }
}
