package io.sluice.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.event.Violation;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites OpenAI's deprecated function-calling form, which its fine-tuning guide documented before
 * tools ({@code "functions": [{"name", "description", "parameters"}]}, an assistant {@code
 * "function_call": {"name", "arguments"}} and a {@code {"role": "function", "name", "content"}}
 * result), into the tools form in place. Calls have no id in that form: each call gets {@code
 * call_<message index>} and each result the id of the latest earlier call of its name.
 */
final class LegacyFunctions {

  /** Pointers into the rewritten line, by prefix, and where they point in the original line. */
  private final Map<String, String> originals = new LinkedHashMap<>();

  /** Rewrites {@code owner} (a chat line, or a preference line's input) at {@code pointer}. */
  void modernize(ObjectNode owner, String pointer, List<Violation> violations) {
    if (owner.has("functions")) {
      modernizeFunctions(owner, pointer, violations);
    }
    JsonNode messages = owner.get("messages");
    if (messages == null || !messages.isArray()) {
      return;
    }
    Map<String, String> latestCallByName = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i) instanceof ObjectNode message) {
        String messagePointer = pointer + "/messages/" + i;
        if (message.has("function_call")) {
          modernizeCall(message, messagePointer, "call_" + i, latestCallByName, violations);
        } else if ("function".equals(message.path("role").asText(null))) {
          modernizeResult(message, messagePointer, latestCallByName, violations);
        }
      }
    }
  }

  /** {@code pointer}, into the rewritten line, as a pointer into the line as it was sent. */
  String original(String pointer) {
    String longest = null;
    for (String prefix : originals.keySet()) {
      boolean within = pointer.equals(prefix) || pointer.startsWith(prefix + "/");
      if (within && (longest == null || prefix.length() > longest.length())) {
        longest = prefix;
      }
    }
    return longest == null ? pointer : originals.get(longest) + pointer.substring(longest.length());
  }

  private void modernizeFunctions(ObjectNode owner, String pointer, List<Violation> violations) {
    if (owner.has("tools")) {
      violations.add(
          new Violation(
              pointer + "/functions",
              "give the tools or the deprecated functions, not both (functions are tools of"
                  + " type \"function\")"));
      return;
    }
    JsonNode functions = owner.remove("functions");
    originals.put(pointer + "/tools", pointer + "/functions");
    if (!functions.isArray()) {
      owner.set("tools", functions); // reported as not an array, at /functions
      return;
    }
    ArrayNode tools = owner.putArray("tools");
    for (int i = 0; i < functions.size(); i++) {
      tools.addObject().put("type", "function").set("function", functions.get(i));
      originals.put(pointer + "/tools/" + i + "/function", pointer + "/functions/" + i);
      originals.put(pointer + "/tools/" + i, pointer + "/functions/" + i);
    }
  }

  private void modernizeCall(
      ObjectNode message,
      String pointer,
      String id,
      Map<String, String> latestCallByName,
      List<Violation> violations) {
    if (message.has("tool_calls")) {
      violations.add(
          new Violation(
              pointer + "/function_call",
              "give the tool_calls or the deprecated function_call, not both"));
      return;
    }
    JsonNode function = message.remove("function_call");
    ObjectNode call = message.putArray("tool_calls").addObject();
    call.put("id", id).put("type", "function").set("function", function);
    originals.put(pointer + "/tool_calls/0/function", pointer + "/function_call");
    originals.put(pointer + "/tool_calls/0", pointer + "/function_call");
    originals.put(pointer + "/tool_calls", pointer + "/function_call");
    if (function.path("name").isTextual()) {
      latestCallByName.put(function.get("name").textValue(), id);
    }
  }

  private void modernizeResult(
      ObjectNode message,
      String pointer,
      Map<String, String> latestCallByName,
      List<Violation> violations) {
    JsonNode name = message.remove("name");
    String id = name != null && name.isTextual() ? latestCallByName.get(name.textValue()) : null;
    if (id == null) {
      violations.add(
          new Violation(
              pointer + "/name",
              name == null || !name.isTextual()
                  ? "a function result must name the function it answers"
                  : "no earlier assistant function_call of " + name + " that this result answers"));
      return;
    }
    message.put("role", "tool");
    message.put("tool_call_id", id);
    originals.put(pointer + "/tool_call_id", pointer + "/name");
  }
}
