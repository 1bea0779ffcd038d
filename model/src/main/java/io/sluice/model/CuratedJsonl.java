package io.sluice.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON lines {@code sluice curate} writes (curated records in plain JSON) into
 * {@link TrainingExample}s. Only the fields training needs are read: {@code id}, {@code kind},
 * {@code prompt} (a string or a list of {role, content}), {@code completion} or
 * {@code chosen}/{@code rejected}, and {@code split}. A bad line fails with its line number.
 */
public final class CuratedJsonl {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CuratedJsonl() {}

  public static List<TrainingExample> read(Path file) throws IOException {
    List<TrainingExample> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (!line.isBlank()) {
          out.add(parse(line, file + ":" + number));
        }
      }
    } catch (NoSuchFileException e) {
      throw new ModelFormatException("no curated data file at " + file);
    }
    if (out.isEmpty()) {
      throw new ModelFormatException(file + " holds no records");
    }
    return out;
  }

  static TrainingExample parse(String line, String where) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new ModelFormatException(where + ": a record must be a JSON object");
    }
    String id = node.path("id").asText("");
    String kind = text(node, "kind", where);
    String split = node.path("split").asText("TRAIN");
    if (!split.equals("TRAIN") && !split.equals("HOLDOUT")) {
      throw new ModelFormatException(where + ": split must be TRAIN or HOLDOUT but is '" + split + "'");
    }
    boolean holdout = split.equals("HOLDOUT");
    List<ChatMessage> messages = messages(node.get("prompt"), where);
    return switch (kind) {
      case "SFT" -> new TrainingExample.Sft(id, messages, text(node, "completion", where), holdout);
      case "PREFERENCE" -> new TrainingExample.Preference(
          id, messages, text(node, "chosen", where), text(node, "rejected", where), holdout);
      default -> throw new ModelFormatException(where + ": kind must be SFT or PREFERENCE but is '" + kind + "'");
    };
  }

  private static List<ChatMessage> messages(JsonNode prompt, String where) {
    if (prompt == null || prompt.isNull()) {
      throw new ModelFormatException(where + ": 'prompt' is missing");
    }
    if (prompt.isTextual()) {
      return List.of(ChatMessage.user(prompt.asText()));
    }
    if (!prompt.isArray() || prompt.isEmpty()) {
      throw new ModelFormatException(where + ": 'prompt' must be a string or a non-empty list of messages");
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode m : prompt) {
      try {
        messages.add(new ChatMessage(m.path("role").asText(""), text(m, "content", where)));
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException(where + ": " + e.getMessage(), e);
      }
    }
    return messages;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new ModelFormatException(where + ": '" + field + "' must be a string but is " + (value == null ? "missing" : value));
    }
    return value.asText();
  }
}
