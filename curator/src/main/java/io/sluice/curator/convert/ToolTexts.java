package io.sluice.curator.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.ToolCall;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Applies a text edit (the PII anonymizer) to what chat turns carry besides their content: the
 * arguments of tool calls. Arguments are a JSON object written as text, so the edit is applied to
 * each string value inside it, never to the JSON syntax, and the result stays valid JSON; arguments
 * that the edit leaves unchanged keep their exact spelling.
 */
public final class ToolTexts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolTexts() {}

  /** The turn with its content and its calls' arguments passed through {@code edit}. */
  public static ChatMessage mapTurn(ChatMessage turn, UnaryOperator<String> edit) {
    // The constructor, not a builder: builders deep-copy every field, and this runs per turn.
    return new ChatMessage(
        turn.getRole(),
        edit.apply(turn.getContent()),
        mapCalls(turn.getToolCalls(), edit),
        turn.getToolCallId(),
        turn.getWeight());
  }

  /** The calls with their arguments' string values passed through {@code edit}. */
  public static List<ToolCall> mapCalls(List<ToolCall> calls, UnaryOperator<String> edit) {
    if (calls.isEmpty()) {
      return List.of();
    }
    List<ToolCall> mapped = new ArrayList<>(calls.size());
    for (ToolCall call : calls) {
      mapped.add(
          new ToolCall(call.getId(), call.getName(), mapArguments(call.getArguments(), edit)));
    }
    return mapped;
  }

  /**
   * Arguments with every string value edited. Text that is not JSON (only possible for records that
   * skipped validation) is edited as a whole, so PII never passes unedited.
   */
  static String mapArguments(String arguments, UnaryOperator<String> edit) {
    JsonNode json;
    try {
      json = JSON.readTree(arguments);
    } catch (JsonProcessingException e) {
      return edit.apply(arguments);
    }
    if (json == null) {
      return edit.apply(arguments);
    }
    boolean[] changed = {false};
    JsonNode mapped = mapStrings(json, edit, changed);
    return changed[0] ? mapped.toString() : arguments;
  }

  private static JsonNode mapStrings(JsonNode node, UnaryOperator<String> edit, boolean[] changed) {
    if (node.isTextual()) {
      String edited = edit.apply(node.textValue());
      changed[0] |= !edited.equals(node.textValue());
      return TextNode.valueOf(edited);
    }
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(mapStrings(field.getValue(), edit, changed));
      }
      return object;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, mapStrings(array.get(i), edit, changed));
      }
    }
    return node;
  }

  /**
   * The text filters and near-duplicate detection judge for a turn or an answer: its content and,
   * per call, the function's name and arguments.
   */
  public static String visibleText(String content, List<ToolCall> calls) {
    if (calls.isEmpty()) {
      return content;
    }
    StringBuilder text = new StringBuilder(content);
    for (ToolCall call : calls) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(call.getName()).append(' ').append(call.getArguments());
    }
    return text.toString();
  }
}
