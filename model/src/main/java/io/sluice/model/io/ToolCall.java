package io.sluice.model.io;

import java.util.Objects;

/**
 * A function call an assistant turn makes.
 *
 * @param arguments a JSON object written as text, as OpenAI writes it; templates render it as the
 *     object it is
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
  }
}
