package io.sluice.schemas.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.ToolCall;
import io.sluice.schemas.avro.ToolDefinition;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The native event JSON: what apps POST to ingest and what {@code curate} reads from JSONL files.
 *
 * <pre>{@code
 * {"type": "feedback", "id": "evt-1", "tenant": "acme", "track": "support-bot",
 *  "timestamp": "2025-01-31T09:30:00Z", "metadata": {"app": "web"},
 *  "prompt": [{"role": "user", "content": "Reset my password"}],
 *  "response": "Click 'Forgot password'.", "rating": "up"}
 * }</pre>
 *
 * <p>{@link #parse} checks the JSON structure (value types, unknown fields, roles, timestamp
 * syntax) and then every field rule of {@link RawEventValidator}, and reports all violations at
 * once. A JSON {@code null} is the same as an absent field. The server fills an absent {@code id}
 * with a UUID and an absent {@code timestamp} with the receive time; timestamps keep millisecond
 * precision and are normalized to UTC.
 */
public final class NativeEvents {

  /** Every field a native event may have, in the order of the Avro schema. */
  public static final List<String> FIELDS =
      RawEvent.getClassSchema().getFields().stream().map(f -> f.name()).toList();

  private static final String ROLES =
      Arrays.stream(Role.values()).map(Enum::name).collect(Collectors.joining(", "));

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String MESSAGE_FIELDS =
      ChatMessage.getClassSchema().getFields().stream()
          .map(f -> f.name())
          .collect(Collectors.joining(", "));

  private static final String TYPES =
      Arrays.stream(EventType.values()).map(Enum::name).collect(Collectors.joining(", "));

  private NativeEvents() {}

  /** Parses one event with the {@link EventLimits#DEFAULT default limits}. */
  public static ParseResult parse(JsonNode json, ServerDefaults defaults) {
    return parse(json, defaults, EventLimits.DEFAULT);
  }

  /** Parses one event: the record with server defaults filled in, or every violation. */
  public static ParseResult parse(JsonNode json, ServerDefaults defaults, EventLimits limits) {
    if (json == null || !json.isObject()) {
      return new ParseResult.Invalid(
          List.of(new Violation("", "an event must be a JSON object, not " + describe(json))));
    }
    Reader reader = new Reader();
    RawEvent draft = reader.read(json);
    if (draft.getId() == null && isAbsent(json.get("id"))) {
      draft.setId(defaults.ids().get());
    }
    if (draft.getTimestamp() == null && isAbsent(json.get("timestamp"))) {
      draft.setTimestamp(defaults.clock().instant().truncatedTo(ChronoUnit.MILLIS));
    }
    List<Violation> violations = new ArrayList<>(reader.violations);
    for (Violation rule : RawEventValidator.validate(draft, limits)) {
      if (!reader.covers(rule.pointer())) {
        violations.add(rule);
      }
    }
    return violations.isEmpty()
        ? new ParseResult.Valid(draft)
        : new ParseResult.Invalid(violations);
  }

  /**
   * The native JSON form of an event: absent optional fields and empty metadata are left out, so a
   * valid input parses and renders back to itself (apart from a server-filled id or timestamp, and
   * a timestamp's spelling, which becomes UTC with millisecond precision).
   */
  public static ObjectNode toJson(RawEvent event) {
    ObjectNode json = AvroJson.toJson(event);
    List<String> empty = new ArrayList<>();
    json.fieldNames()
        .forEachRemaining(
            name -> {
              JsonNode value = json.get(name);
              if (value.isNull() || (name.equals("metadata") && value.isEmpty())) {
                empty.add(name);
              }
            });
    json.remove(empty);
    dropEmptyToolFields(json);
    if (json.get("prompt") instanceof ArrayNode messages) {
      messages.forEach(message -> dropEmptyToolFields((ObjectNode) message));
    }
    if (json.get("tools") instanceof ArrayNode tools) {
      tools.forEach(tool -> renderTool((ObjectNode) tool));
    }
    return json;
  }

  /** Tool fields are left out when unused, so events without tools render as they always did. */
  private static void dropEmptyToolFields(ObjectNode json) {
    for (String name : List.of("tool_calls", "completion_tool_calls", "tools")) {
      if (json.has(name) && json.get(name).isEmpty()) {
        json.remove(name);
      }
    }
    for (String name : List.of("tool_call_id", "weight", "parallel_tool_calls")) {
      if (json.has(name) && json.get(name).isNull()) {
        json.remove(name);
      }
    }
  }

  /** A tool's JSON Schema is stored as text and written back as the object it was. */
  private static void renderTool(ObjectNode tool) {
    JsonNode parameters = tool.get("parameters");
    if (parameters != null && parameters.isTextual()) {
      tool.set("parameters", parseJson(parameters.textValue()));
    }
    for (String name : List.of("description", "parameters", "strict")) {
      if (tool.has(name) && tool.get(name).isNull()) {
        tool.remove(name);
      }
    }
  }

  /** The JSON value of {@code text}, or null when it is not exactly one JSON value. */
  static JsonNode parseJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Compact JSON text of {@code value}, as stored in tool definitions. */
  static String writeJson(JsonNode value) {
    return value.toString();
  }

  /** {@link #toJson} as one line of compact JSON, a line of a native JSONL file. */
  public static String toJsonLine(RawEvent event) {
    return toJson(event).toString();
  }

  private static boolean isAbsent(JsonNode value) {
    return value == null || value.isNull();
  }

  static String describe(JsonNode json) {
    if (json == null || json.isNull()) {
      return "null";
    }
    return switch (json.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> json.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * Moves JSON values into a draft record, reporting values of the wrong JSON type. A field whose
   * value was reported is left null, and the rule checks' own findings under its pointer (such as
   * "is required") are dropped, so each problem is reported once.
   */
  private static final class Reader {
    private final List<Violation> violations = new ArrayList<>();

    RawEvent read(JsonNode json) {
      // The no-argument constructor skips the builder's required-field checks: the draft may be
      // incomplete, and RawEventValidator reports what is missing.
      RawEvent draft = new RawEvent();
      draft.setMetadata(new LinkedHashMap<>());
      draft.setCompletionToolCalls(List.of());
      draft.setTools(List.of());
      for (Map.Entry<String, JsonNode> field : json.properties()) {
        JsonNode value = field.getValue();
        if (value.isNull() && FIELDS.contains(field.getKey())) {
          continue;
        }
        String pointer = Violation.child("", field.getKey());
        switch (field.getKey()) {
          case "id" -> draft.setId(string(pointer, value));
          case "type" -> draft.setType(type(value));
          case "tenant" -> draft.setTenant(string(pointer, value));
          case "track" -> draft.setTrack(string(pointer, value));
          case "timestamp" -> timestamp(value, draft);
          case "metadata" -> draft.setMetadata(metadata(value));
          case "prompt" -> draft.setPrompt(prompt(value));
          case "completion" -> draft.setCompletion(string(pointer, value));
          case "chosen" -> draft.setChosen(string(pointer, value));
          case "rejected" -> draft.setRejected(string(pointer, value));
          case "response" -> draft.setResponse(string(pointer, value));
          case "rating" -> draft.setRating(rating(value));
          case "correction" -> draft.setCorrection(string(pointer, value));
          case "comment" -> draft.setComment(string(pointer, value));
          case "completion_tool_calls" -> draft.setCompletionToolCalls(toolCalls(pointer, value));
          case "tools" -> draft.setTools(tools(value));
          case "parallel_tool_calls" -> draft.setParallelToolCalls(bool(pointer, value));
          default -> add(pointer, "unknown field; an event has only " + String.join(", ", FIELDS));
        }
      }
      if (draft.getCompletion() == null && !draft.getCompletionToolCalls().isEmpty()) {
        draft.setCompletion(""); // an answer that only calls tools has no text
      }
      return draft;
    }

    boolean covers(String pointer) {
      return violations.stream()
          .anyMatch(v -> pointer.equals(v.pointer()) || pointer.startsWith(v.pointer() + "/"));
    }

    private String string(String pointer, JsonNode value) {
      if (!value.isTextual()) {
        add(pointer, "must be a string, not " + describe(value));
        return null;
      }
      return value.textValue();
    }

    private EventType type(JsonNode value) {
      if (value.isTextual()) {
        for (EventType type : EventType.values()) {
          if (type.name().equals(value.textValue())) {
            return type;
          }
        }
      }
      add("/type", "must be one of " + TYPES + ", but was " + render(value));
      return null;
    }

    /** Sets the draft's timestamp only when valid: the generated setter throws on null. */
    private void timestamp(JsonNode value, RawEvent draft) {
      if (value.isTextual()) {
        try {
          OffsetDateTime time =
              OffsetDateTime.parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
          if (time.getYear() >= 1 && time.getYear() <= 9999) {
            draft.setTimestamp(time.toInstant().truncatedTo(ChronoUnit.MILLIS));
            return;
          }
        } catch (DateTimeParseException e) {
          // reported below, with the expected form
        }
      }
      add(
          "/timestamp",
          "must be an ISO-8601 date-time with a UTC offset, such as 2025-01-31T09:30:00Z or"
              + " 2025-01-31T10:30:00+01:00, but was "
              + render(value));
    }

    private Map<String, String> metadata(JsonNode value) {
      Map<String, String> metadata = new LinkedHashMap<>();
      if (!value.isObject()) {
        add("/metadata", "must be an object of string values, not " + describe(value));
        return null;
      }
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        if (entry.getValue().isTextual()) {
          metadata.put(entry.getKey(), entry.getValue().textValue());
        } else {
          add(
              Violation.child("/metadata", entry.getKey()),
              "must be a string (metadata is a flat map of strings), not "
                  + describe(entry.getValue()));
        }
      }
      return metadata;
    }

    private Object prompt(JsonNode value) {
      if (value.isTextual()) {
        return value.textValue();
      }
      if (!value.isArray()) {
        add(
            "/prompt",
            "must be a string or an array of {\"role\", \"content\"} messages, not "
                + describe(value));
        return null;
      }
      List<ChatMessage> messages = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        messages.add(message(Violation.child("/prompt", i), value.get(i)));
      }
      return messages;
    }

    private ChatMessage message(String pointer, JsonNode json) {
      ChatMessage message = new ChatMessage();
      message.setToolCalls(List.of());
      if (!json.isObject()) {
        add(pointer, "must be an object with a role and a content, not " + describe(json));
        return message;
      }
      for (Map.Entry<String, JsonNode> field : json.properties()) {
        String fieldPointer = Violation.child(pointer, field.getKey());
        switch (field.getKey()) {
          case "role" -> message.setRole(role(fieldPointer, field.getValue()));
          case "content" -> {
            if (!field.getValue().isNull()) {
              message.setContent(string(fieldPointer, field.getValue()));
            }
          }
          case "tool_calls" -> message.setToolCalls(toolCalls(fieldPointer, field.getValue()));
          case "tool_call_id" ->
              message.setToolCallId(nullableString(fieldPointer, field.getValue()));
          case "weight" -> message.setWeight(weight(fieldPointer, field.getValue()));
          default -> add(fieldPointer, "unknown field; a message has only " + MESSAGE_FIELDS);
        }
      }
      if (message.getContent() == null && !message.getToolCalls().isEmpty()) {
        message.setContent(""); // a turn that only calls tools has no text
      }
      return message;
    }

    private String nullableString(String pointer, JsonNode value) {
      return value.isNull() ? null : string(pointer, value);
    }

    private Boolean bool(String pointer, JsonNode value) {
      if (!value.isBoolean()) {
        add(pointer, "must be true or false, not " + describe(value));
        return null;
      }
      return value.booleanValue();
    }

    private Integer weight(String pointer, JsonNode value) {
      if (value.isNull()) {
        return null;
      }
      if (value.isIntegralNumber() && value.canConvertToInt()) {
        return value.intValue();
      }
      add(pointer, RawEventValidator.WEIGHT_RULE + ", but was " + render(value));
      return null;
    }

    /** {@code [{"id", "name", "arguments"}]}; arguments is a JSON object written as a string. */
    private List<ToolCall> toolCalls(String pointer, JsonNode value) {
      if (value.isNull()) {
        return List.of();
      }
      if (!value.isArray()) {
        add(
            pointer,
            "must be an array of {\"id\", \"name\", \"arguments\"} calls, not " + describe(value));
        return List.of();
      }
      List<ToolCall> calls = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        String callPointer = Violation.child(pointer, i);
        JsonNode json = value.get(i);
        if (!json.isObject()) {
          add(
              callPointer,
              "must be an object {\"id\", \"name\", \"arguments\"}, not " + describe(json));
          continue;
        }
        ToolCall call = new ToolCall();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
          String fieldPointer = Violation.child(callPointer, field.getKey());
          switch (field.getKey()) {
            case "id" -> call.setId(nullableString(fieldPointer, field.getValue()));
            case "name" -> call.setName(nullableString(fieldPointer, field.getValue()));
            case "arguments" -> call.setArguments(nullableString(fieldPointer, field.getValue()));
            default ->
                add(fieldPointer, "unknown field; a tool call has only id, name and arguments");
          }
        }
        calls.add(call);
      }
      return calls;
    }

    /** {@code [{"name", "description", "parameters": {JSON Schema}, "strict"}]}. */
    private List<ToolDefinition> tools(JsonNode value) {
      if (!value.isArray()) {
        add(
            "/tools",
            "must be an array of {\"name\", \"description\", \"parameters\"} functions, not "
                + describe(value));
        return List.of();
      }
      List<ToolDefinition> tools = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        String toolPointer = Violation.child("/tools", i);
        JsonNode json = value.get(i);
        if (!json.isObject()) {
          add(
              toolPointer,
              "must be an object {\"name\", \"description\", \"parameters\"}, not "
                  + describe(json));
          continue;
        }
        ToolDefinition tool = new ToolDefinition();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
          String fieldPointer = Violation.child(toolPointer, field.getKey());
          JsonNode fieldValue = field.getValue();
          switch (field.getKey()) {
            case "name" -> tool.setName(nullableString(fieldPointer, fieldValue));
            case "description" -> tool.setDescription(nullableString(fieldPointer, fieldValue));
            case "parameters" -> {
              if (fieldValue.isObject()) {
                tool.setParameters(writeJson(fieldValue));
              } else if (!fieldValue.isNull()) {
                add(fieldPointer, "must be a JSON Schema object, not " + describe(fieldValue));
              }
            }
            case "strict" ->
                tool.setStrict(fieldValue.isNull() ? null : bool(fieldPointer, fieldValue));
            default ->
                add(
                    fieldPointer,
                    "unknown field; a tool has only name, description, parameters and strict");
          }
        }
        tools.add(tool);
      }
      return tools;
    }

    private Role role(String pointer, JsonNode value) {
      if (value.isNull()) {
        return null;
      }
      if (value.isTextual()) {
        for (Role role : Role.values()) {
          if (role.name().equals(value.textValue())) {
            return role;
          }
        }
      }
      add(pointer, "must be one of " + ROLES + ", but was " + render(value));
      return null;
    }

    private Object rating(JsonNode value) {
      if (value.isTextual()) {
        return value.textValue();
      }
      if (value.isIntegralNumber() && value.canConvertToInt()) {
        return value.intValue();
      }
      add("/rating", RawEventValidator.RATING_RULE + ", but was " + render(value));
      return null;
    }

    private static String render(JsonNode value) {
      return value.isTextual() ? RawEventValidator.quote(value.textValue()) : describe(value);
    }

    private void add(String pointer, String message) {
      violations.add(new Violation(pointer, message));
    }
  }
}
