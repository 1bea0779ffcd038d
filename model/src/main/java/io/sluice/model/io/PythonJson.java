package io.sluice.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Python's {@code json.dumps(value, ensure_ascii=False)} writes it, which is what
 * transformers' {@code tojson} filter renders into chat templates: {@code ", "} and {@code ": "}
 * separators (or {@code ","} and newlines with {@code indent}), keys in their given order,
 * non-ASCII characters as they are.
 */
final class PythonJson {

  private PythonJson() {}

  /** One line: {@code json.dumps(value)}. */
  static String dumps(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, -1, 0, out);
    return out.toString();
  }

  /** {@code json.dumps(value, indent=indent)}. */
  static String dumps(JsonNode value, int indent) {
    StringBuilder out = new StringBuilder();
    write(value, indent, 0, out);
    return out.toString();
  }

  private static void write(JsonNode value, int indent, int depth, StringBuilder out) {
    if (value.isObject()) {
      if (value.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      boolean first = true;
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        separate(first, indent, depth + 1, out);
        first = false;
        string(field.getKey(), out);
        out.append(": ");
        write(field.getValue(), indent, depth + 1, out);
      }
      close(indent, depth, out);
      out.append('}');
    } else if (value.isArray()) {
      if (value.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < value.size(); i++) {
        separate(i == 0, indent, depth + 1, out);
        write(value.get(i), indent, depth + 1, out);
      }
      close(indent, depth, out);
      out.append(']');
    } else if (value.isTextual()) {
      string(value.textValue(), out);
    } else if (value.isBoolean()) {
      out.append(value.booleanValue() ? "true" : "false");
    } else if (value.isNull()) {
      out.append("null");
    } else {
      out.append(value.asText());
    }
  }

  private static void separate(boolean first, int indent, int depth, StringBuilder out) {
    if (indent < 0) {
      if (!first) {
        out.append(", ");
      }
      return;
    }
    if (!first) {
      out.append(',');
    }
    out.append('\n').append(" ".repeat(indent * depth));
  }

  private static void close(int indent, int depth, StringBuilder out) {
    if (indent >= 0) {
      out.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
