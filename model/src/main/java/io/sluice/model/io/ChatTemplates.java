package io.sluice.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the chat template a checkpoint was trained with. Sluice renders templates in Java, so it
 * reads the checkpoint's Jinja template ({@code chat_template.jinja}, or {@code chat_template} in
 * {@code tokenizer_config.json}) only to decide which family it implements, and refuses one it
 * cannot identify: a wrong template trains and serves a model on text it has never seen.
 */
public final class ChatTemplates {
  /** Names accepted by {@link #named} and {@code --chat-template}. */
  public static final List<String> NAMES = List.of("chatml", "llama3", "llama3.1");

  // Llama 3.1's template writes this date unless the renderer offers strftime_now (3.2 uses it).
  private static final String LLAMA31_DEFAULT_DATE = "26 Jul 2024";

  private static final ObjectMapper JSON = new ObjectMapper();
  // A literal default system turn, e.g. Qwen2.5's "{{- '<|im_start|>system\nYou are Qwen,
  // ...<|im_end|>\n' }}".
  private static final Pattern CHATML_DEFAULT_SYSTEM =
      Pattern.compile(
          "'<\\|im_start\\|>system(?:\\\\n|\n)((?:[^'\\\\]|\\\\.)*)<\\|im_end\\|>(?:\\\\n|\n)'");

  private ChatTemplates() {}

  /** A template by family name. */
  public static ChatTemplate named(String name) {
    return switch (name) {
      case "chatml" -> ChatTemplate.chatMl();
      case "llama3" -> ChatTemplate.llama3();
      case "llama3.1" -> ChatTemplate.llama31(LLAMA31_DEFAULT_DATE);
      default ->
          throw new IllegalArgumentException(
              "unknown chat template '" + name + "'; known: " + NAMES);
    };
  }

  /**
   * The template of the checkpoint in {@code dir}.
   *
   * @throws ModelFormatException when the checkpoint has no chat template or one that is not a
   *     family Sluice renders; the message says how to choose one explicitly
   */
  public static ChatTemplate fromCheckpoint(Path dir) throws IOException {
    String jinja = readJinja(dir);
    if (jinja == null) {
      throw new ModelFormatException(
          dir
              + " has no chat template (neither chat_template.jinja nor a chat_template in "
              + "tokenizer_config.json); name the one the model was trained with: --chat-template "
              + String.join("|", NAMES));
    }
    return identify(jinja, dir.toString());
  }

  /** The family a Jinja chat template implements. */
  static ChatTemplate identify(String jinja, String source) {
    boolean chatMl = jinja.contains("<|im_start|>") && jinja.contains("<|im_end|>");
    boolean llama3 =
        jinja.contains("<|start_header_id|>")
            && jinja.contains("<|end_header_id|>")
            && jinja.contains("<|eot_id|>");
    if (chatMl && !llama3 && !jinja.contains("<think>")) {
      Matcher system = CHATML_DEFAULT_SYSTEM.matcher(jinja);
      ChatTemplate template =
          system.find()
              ? ChatTemplate.chatMl().withDefaultSystem(unescape(system.group(1)))
              : ChatTemplate.chatMl();
      // Qwen2.5's template renders <tool_call> blocks; the default model's is Sluice's own, whose
      // documented tool format is the same. Other ChatML templates render no tools.
      boolean tools = jinja.contains("<tool_call>") || jinja.equals(TinyTokenizer.CHATML_TEMPLATE);
      return tools ? template : template.withToolFormat(ChatTemplate.ToolFormat.NONE);
    }
    if (llama3 && !chatMl && jinja.contains("trim")) {
      if (!jinja.contains("Cutting Knowledge Date")) {
        return ChatTemplate.llama3();
      }
      if (jinja.contains("Cutting Knowledge Date: December 2023\\n")
          || jinja.contains("Cutting Knowledge Date: December 2023\n")) {
        // Llama 3.2 dates the preamble with strftime_now (today, as transformers renders it).
        String date =
            jinja.contains("strftime_now")
                ? java.time.LocalDate.now()
                    .format(
                        java.time.format.DateTimeFormatter.ofPattern(
                            "dd MMM yyyy", java.util.Locale.US))
                : LLAMA31_DEFAULT_DATE;
        ChatTemplate template = ChatTemplate.llama31(date);
        // Llama 3.1 and 3.2 Instruct announce tool use with "Environment: ipython".
        return jinja.contains("ipython")
            ? template
            : template.withToolFormat(ChatTemplate.ToolFormat.NONE);
      }
    }
    throw new ModelFormatException(
        source
            + ": its chat template is not one Sluice can render exactly (it renders "
            + "ChatML, with or without a default system message, and the Llama 3 and 3.1 header formats); if the model was "
            + "trained "
            + "with one of them, choose it with --chat-template "
            + String.join("|", NAMES)
            + ". Template starts: "
            + jinja.substring(0, Math.min(120, jinja.length())).replace("\n", "\\n"));
  }

  /** Jinja string-literal escapes: {@code \n}, {@code \t}, {@code \'}, {@code \"}, {@code \\}. */
  private static String unescape(String literal) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '\\' && i + 1 < literal.length()) {
        char next = literal.charAt(++i);
        out.append(
            switch (next) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              default -> next;
            });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String readJinja(Path dir) throws IOException {
    Path separate = dir.resolve("chat_template.jinja");
    if (Files.isRegularFile(separate)) {
      return Files.readString(separate);
    }
    JsonNode config = readJson(dir.resolve("tokenizer_config.json"));
    JsonNode template = config == null ? null : config.get("chat_template");
    if (template == null || template.isNull()) {
      return null;
    }
    if (template.isArray()) {
      // Several named templates: the "default" one is what apply_chat_template uses.
      for (JsonNode named : template) {
        if ("default".equals(named.path("name").asText())) {
          return named.path("template").asText();
        }
      }
      return null;
    }
    return template.asText();
  }

  /**
   * The end-of-sequence ids of {@code generation_config.json} (Llama 3.1 Instruct lists
   * end-of-text, end-of-message and end-of-turn); empty when there is none.
   */
  public static List<Integer> generationEosIds(Path dir) throws IOException {
    JsonNode config = readJson(dir.resolve("generation_config.json"));
    List<Integer> ids = new ArrayList<>();
    JsonNode eos = config == null ? null : config.get("eos_token_id");
    if (eos != null && eos.isArray()) {
      eos.forEach(n -> ids.add(n.asInt()));
    } else if (eos != null && eos.canConvertToInt()) {
      ids.add(eos.asInt());
    }
    return ids;
  }

  private static JsonNode readJson(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
