package io.sluice.model.io;

import java.util.Objects;

/**
 * A function offered to the model, as chat templates render it.
 *
 * @param description or null
 * @param parameters the JSON Schema of the arguments as JSON text, or null
 */
public record ToolSpec(String name, String description, String parameters) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
  }
}
