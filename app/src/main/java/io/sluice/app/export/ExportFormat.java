package io.sluice.app.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.ToolCall;
import io.sluice.schemas.avro.ToolDefinition;
import java.util.List;

/**
 * The JSON lines {@code sluice export} writes for curated records, in the forms other trainers
 * read:
 *
 * <ul>
 *   <li>{@link #OPENAI}: SFT records as OpenAI chat lines ({@code messages}, {@code tools}, {@code
 *       parallel_tool_calls}; every earlier assistant turn with its explicit {@code weight}),
 *       preference records as OpenAI DPO lines ({@code input}, {@code preferred_output}, {@code
 *       non_preferred_output}). Sluice's OpenAI import reads them back into the same examples.
 *   <li>{@link #TRL}: SFT records as TRL conversational {@code messages} lines, preference records
 *       as TRL {@code prompt}/{@code chosen}/{@code rejected} lines, binary-feedback records as TRL
 *       unpaired preference lines ({@code prompt}/{@code completion}/{@code label}), each with a
 *       {@code tools} column when the record has tools; tool-call arguments are JSON objects, as
 *       transformers' chat templates expect.
 * </ul>
 */
public enum ExportFormat {
  OPENAI,
  TRL;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Whether this format has a form for {@code record}: OpenAI's fine-tuning files have no unpaired
   * preference (KTO's one voted answer), so binary-feedback records are only written as TRL lines.
   */
  public boolean writes(CuratedExample record) {
    return this == TRL || record.getKind() != ExampleKind.BINARY_FEEDBACK;
  }

  /** One line for {@code record}, which this format {@link #writes}. */
  public String line(CuratedExample record) {
    if (!writes(record)) {
      throw new IllegalArgumentException(
          "OpenAI's fine-tuning format has no form for " + record.getKind() + " records");
    }
    ObjectNode line =
        switch (record.getKind()) {
          case SFT -> sft(record);
          case PREFERENCE -> preference(record);
          case BINARY_FEEDBACK -> unpairedPreference(record);
        };
    return line.toString();
  }

  /**
   * TRL's conversational unpaired preference line (KTO): {@code prompt}, the voted answer as the
   * {@code completion} and {@code label} true when it is desirable.
   */
  private ObjectNode unpairedPreference(CuratedExample record) {
    ObjectNode line = JSON.createObjectNode();
    ArrayNode prompt = line.putArray("prompt");
    for (ChatMessage turn : turns(record.getPrompt())) {
      prompt.add(message(turn, false));
    }
    line.putArray("completion").add(text("assistant", record.getCompletion()));
    line.put("label", record.getLabel() == FeedbackLabel.DESIRABLE);
    tools(line, record);
    return line;
  }

  private ObjectNode sft(CuratedExample record) {
    ObjectNode line = JSON.createObjectNode();
    ArrayNode messages = line.putArray("messages");
    for (ChatMessage turn : turns(record.getPrompt())) {
      messages.add(message(turn, true));
    }
    ObjectNode answer = messages.addObject();
    answer.put("role", "assistant");
    content(answer, record.getCompletion(), record.getCompletionToolCalls());
    toolCalls(answer, record.getCompletionToolCalls());
    tools(line, record);
    return line;
  }

  private ObjectNode preference(CuratedExample record) {
    ObjectNode line = JSON.createObjectNode();
    ArrayNode messages = JSON.createArrayNode();
    for (ChatMessage turn : turns(record.getPrompt())) {
      messages.add(message(turn, false));
    }
    if (this == OPENAI) {
      ObjectNode input = line.putObject("input");
      input.set("messages", messages);
      tools(input, record);
      line.putArray("preferred_output").add(text("assistant", record.getChosen()));
      line.putArray("non_preferred_output").add(text("assistant", record.getRejected()));
    } else {
      line.set("prompt", messages);
      line.putArray("chosen").add(text("assistant", record.getChosen()));
      line.putArray("rejected").add(text("assistant", record.getRejected()));
      tools(line, record);
    }
    return line;
  }

  /**
   * One prompt turn. In SFT lines an earlier assistant turn states its weight (0 unless the record
   * trains it), since OpenAI's default, 1, is not Sluice's; DPO prompts have no weights.
   */
  private ObjectNode message(ChatMessage turn, boolean weighted) {
    ObjectNode message = JSON.createObjectNode();
    message.put("role", turn.getRole().name());
    content(message, turn.getContent(), turn.getToolCalls());
    toolCalls(message, turn.getToolCalls());
    if (turn.getToolCallId() != null) {
      message.put("tool_call_id", turn.getToolCallId());
    }
    if (weighted && turn.getRole() == Role.assistant) {
      message.put("weight", Integer.valueOf(1).equals(turn.getWeight()) ? 1 : 0);
    }
    return message;
  }

  /** A turn that only calls tools has no content, as in OpenAI's function-calling examples. */
  private static void content(ObjectNode message, String content, List<ToolCall> calls) {
    if (!content.isEmpty() || calls.isEmpty()) {
      message.put("content", content);
    }
  }

  private void toolCalls(ObjectNode message, List<ToolCall> calls) {
    if (calls.isEmpty()) {
      return;
    }
    ArrayNode out = message.putArray("tool_calls");
    for (ToolCall call : calls) {
      ObjectNode json = out.addObject();
      json.put("id", call.getId());
      json.put("type", "function");
      ObjectNode function = json.putObject("function");
      function.put("name", call.getName());
      if (this == OPENAI) {
        function.put("arguments", call.getArguments());
      } else {
        function.set("arguments", parse(call.getArguments()));
      }
    }
  }

  private static void tools(ObjectNode target, CuratedExample record) {
    if (!record.getTools().isEmpty()) {
      ArrayNode tools = target.putArray("tools");
      for (ToolDefinition tool : record.getTools()) {
        ObjectNode json = tools.addObject();
        json.put("type", "function");
        ObjectNode function = json.putObject("function");
        function.put("name", tool.getName());
        if (tool.getDescription() != null) {
          function.put("description", tool.getDescription());
        }
        if (tool.getParameters() != null) {
          function.set("parameters", parse(tool.getParameters()));
        }
        if (tool.getStrict() != null) {
          function.put("strict", tool.getStrict());
        }
      }
    }
    if (record.getParallelToolCalls() != null) {
      target.put("parallel_tool_calls", record.getParallelToolCalls());
    }
  }

  private static ObjectNode text(String role, String content) {
    ObjectNode message = JSON.createObjectNode();
    message.put("role", role);
    message.put("content", content);
    return message;
  }

  private static List<ChatMessage> turns(Object prompt) {
    if (prompt instanceof CharSequence text) {
      return List.of(
          ChatMessage.newBuilder().setRole(Role.user).setContent(text.toString()).build());
    }
    return ((List<?>) prompt).stream().map(ChatMessage.class::cast).toList();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored JSON is not valid: " + e.getOriginalMessage(), e);
    }
  }
}
