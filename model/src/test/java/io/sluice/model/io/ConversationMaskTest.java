package io.sluice.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-turn SFT: the loss covers the answer and every trained earlier assistant turn (body and
 * stop token), nothing else; tool calls, results and signatures are rendered in the template
 * family's own format.
 */
class ConversationMaskTest {

  private static final ToolSpec WEATHER =
      new ToolSpec(
          "weather",
          "Current weather",
          "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}");

  /**
   * Weighted multi-turn with a trained call, its result, an untrained answer, then a final call.
   */
  private static final List<ChatTurn> PROMPT =
      List.of(
          new ChatTurn("system", "Be brief."),
          ChatTurn.user("Weather in Paris?"),
          new ChatTurn(
              "assistant",
              "",
              List.of(new ToolCall("c1", "weather", "{\"city\":\"Paris\"}")),
              null,
              true),
          new ChatTurn("tool", "18 C", List.of(), "c1", false),
          new ChatTurn("assistant", "It is 18 C.", List.of(), null, false),
          ChatTurn.user("And Rome?"));

  private static final ChatTurn ANSWER =
      ChatTurn.answer("Checking.", List.of(new ToolCall("c2", "weather", "{\"city\": \"Rome\"}")));

  @TempDir Path dir;

  @Test
  void lossMaskOfAWeightedToolCallingConversationIsTheHandComputedOne() throws Exception {
    TinyTokenizer.write(dir);
    try (TextTokenizer tokenizer = TextTokenizer.load(dir, ChatTemplate.chatMl())) {
      TokenizedExample example = tokenizer.encodeConversation(PROMPT, ANSWER, List.of(WEATHER));

      // The conversation as Qwen2.5's template renders it, cut where the loss switches on or off;
      // true marks the trained pieces: the first call's block and <|im_end|>, the answer's text,
      // call block and <|im_end|>. The untrained "It is 18 C." turn and every header are context.
      List<Piece> pieces =
          List.of(
              new Piece(
                  "<|im_start|>system\n"
                      + "Be brief.\n\n"
                      + "# Tools\n\n"
                      + "You may call one or more functions to assist with the user query.\n\n"
                      + "You are provided with function signatures within <tools></tools> XML"
                      + " tags:\n"
                      + "<tools>\n"
                      + "{\"type\": \"function\", \"function\": {\"name\": \"weather\","
                      + " \"description\": \"Current weather\", \"parameters\": {\"type\":"
                      + " \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}\n"
                      + "</tools>\n\n"
                      + "For each function call, return a json object with function name and"
                      + " arguments within <tool_call></tool_call> XML tags:\n"
                      + "<tool_call>\n"
                      + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
                      + "</tool_call><|im_end|>\n"
                      + "<|im_start|>user\n"
                      + "Weather in Paris?<|im_end|>\n"
                      + "<|im_start|>assistant\n",
                  false),
              new Piece(
                  "<tool_call>\n"
                      + "{\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
                      + "</tool_call><|im_end|>",
                  true),
              new Piece(
                  "\n"
                      + "<|im_start|>user\n"
                      + "<tool_response>\n"
                      + "18 C\n"
                      + "</tool_response><|im_end|>\n"
                      + "<|im_start|>assistant\n"
                      + "It is 18 C.<|im_end|>\n"
                      + "<|im_start|>user\n"
                      + "And Rome?<|im_end|>\n"
                      + "<|im_start|>assistant\n",
                  false),
              new Piece(
                  "Checking.\n"
                      + "<tool_call>\n"
                      + "{\"name\": \"weather\", \"arguments\": {\"city\": \"Rome\"}}\n"
                      + "</tool_call><|im_end|>",
                  true));
      List<Long> ids = new ArrayList<>();
      List<Boolean> trained = new ArrayList<>();
      for (Piece piece : pieces) {
        for (long id : byteLevelIds(piece.text())) {
          ids.add(id);
          trained.add(piece.trained());
        }
      }

      assertThat(example.ids()).containsExactly(ids.stream().mapToLong(Long::longValue).toArray());
      assertThat(example.trained()).containsExactly(toArray(trained));
      assertThat(example.targetCount())
          .isEqualTo(
              byteLevelIds(pieces.get(1).text()).length
                  + byteLevelIds(pieces.get(3).text()).length);
    }
  }

  @Test
  void aSingleAnswerExampleIsUnchangedByTheConversationPath() throws Exception {
    TinyTokenizer.write(dir);
    try (TextTokenizer tokenizer = TextTokenizer.load(dir, ChatTemplate.chatMl())) {
      TokenizedExample example = tokenizer.encodeExample(List.of(ChatTurn.user("Hi")), "Hello");

      long[] prompt = byteLevelIds("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
      assertThat(example.completionStart()).isEqualTo(prompt.length);
      assertThat(example.ids()).endsWith(byteLevelIds("Hello<|im_end|>"));
      assertThat(example.targetCount()).isEqualTo(byteLevelIds("Hello<|im_end|>").length);
    }
  }

  @Test
  void llama31RendersOneJsonCallPerTurnToolsInTheFirstUserTurnAndResultsAsIpython() {
    ChatTemplate template = ChatTemplate.llama31("26 Jul 2024");
    List<ChatTurn> turns = new ArrayList<>(PROMPT.subList(1, 4));
    turns.add(
        ChatTurn.answer(
            "ignored by the template",
            List.of(new ToolCall("c2", "weather", "{\"city\":\"Rome\"}"))));

    String rendered = join(template.conversationSegments(turns, List.of(WEATHER)));

    // as Llama 3.1 Instruct's template renders it (tools_in_user_message, JSON tool calls)
    assertThat(rendered)
        .isEqualTo(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Environment: ipython\n"
                + "Cutting Knowledge Date: December 2023\n"
                + "Today Date: 26 Jul 2024\n\n"
                + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
                + "Given the following functions, please respond with a JSON for a function call"
                + " with its proper arguments that best answers the given prompt.\n\n"
                + "Respond in the format {\"name\": function name, \"parameters\": dictionary of"
                + " argument name and its value}.Do not use variables.\n\n"
                + "{\n"
                + "    \"type\": \"function\",\n"
                + "    \"function\": {\n"
                + "        \"name\": \"weather\",\n"
                + "        \"description\": \"Current weather\",\n"
                + "        \"parameters\": {\n"
                + "            \"type\": \"object\",\n"
                + "            \"properties\": {\n"
                + "                \"city\": {\n"
                + "                    \"type\": \"string\"\n"
                + "                }\n"
                + "            }\n"
                + "        }\n"
                + "    }\n"
                + "}\n\n"
                + "Weather in Paris?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
                + "{\"name\": \"weather\", \"parameters\": {\"city\":"
                + " \"Paris\"}}<|eot_id|><|start_header_id|>ipython<|end_header_id|>\n\n"
                + "\"18 C\"<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
                + "{\"name\": \"weather\", \"parameters\": {\"city\": \"Rome\"}}<|eot_id|>");
  }

  @Test
  void familiesWithoutAToolFormatRefuseToolDataInsteadOfGuessing() {
    List<ChatTurn> turns = new ArrayList<>(PROMPT);
    turns.add(ANSWER);
    assertThatThrownBy(() -> ChatTemplate.llama3().conversationSegments(turns, List.of()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("(llama3) renders no tool calls");
    ChatTemplate smolLm =
        ChatTemplates.identify(
            "{% for message in messages %}{{'<|im_start|>' + message['role']"
                + " + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}",
            "smollm2");
    assertThatThrownBy(
            () ->
                smolLm.conversationSegments(
                    List.of(ChatTurn.user("Hi"), ChatTurn.answer("Yo", List.of())),
                    List.of(WEATHER)))
        .isInstanceOf(ModelFormatException.class);
    // a plain conversation still renders on it
    assertThat(
            join(
                smolLm.conversationSegments(
                    List.of(ChatTurn.user("Hi"), ChatTurn.answer("Yo", List.of())), List.of())))
        .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nYo<|im_end|>");
  }

  @Test
  void llama31TemplatesWithToolsAndQwenTemplatesAreIdentifiedWithTheirToolFormats() {
    String qwen =
        "{%- if tools %}{{- '<|im_start|>system\\n"
            + "' }}...<tool_call>...{%- endif %}{{- '<|im_start|>' + message.role + '\\n"
            + "' + message.content + '<|im_end|>' + '\\n"
            + "' }}";
    assertThat(ChatTemplates.identify(qwen, "qwen").toolFormat())
        .isEqualTo(ChatTemplate.ToolFormat.HERMES);
    assertThat(ChatTemplates.identify(TinyTokenizer.CHATML_TEMPLATE, "tiny").toolFormat())
        .isEqualTo(ChatTemplate.ToolFormat.HERMES);
  }

  @Test
  void qwenOpensItsToolSystemTurnWithItsDefaultSystemMessage() {
    // the parts of Qwen2.5-Instruct's template that identify it: a default system turn and tools
    String qwen =
        "{%- if tools %}{{- '<|im_start|>system\\n"
            + "' }}<tool_call>{%- else %}{{- '<|im_start|>system\\n"
            + "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n"
            + "' }}{%- endif %}{{- '<|im_start|>' + message.role + '\\n"
            + "' + message.content + '<|im_end|>' + '\\n"
            + "' }}";
    ChatTemplate template = ChatTemplates.identify(qwen, "qwen2.5");

    String rendered =
        join(
            template.conversationSegments(
                List.of(ChatTurn.user("Hi"), ChatTurn.answer("Hello", List.of())),
                List.of(WEATHER)));

    assertThat(rendered)
        .startsWith(
            "<|im_start|>system\n"
                + "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n"
                + "# Tools\n\n"
                + "You may call one or more functions")
        .endsWith(
            "</tool_call><|im_end|>\n"
                + "<|im_start|>user\n"
                + "Hi<|im_end|>\n"
                + "<|im_start|>assistant\n"
                + "Hello<|im_end|>");
  }

  /** The tiny tokenizer: one id per UTF-8 byte, ChatML's specials after them. */
  private static long[] byteLevelIds(String text) {
    List<Long> ids = new ArrayList<>();
    int i = 0;
    outer:
    while (i < text.length()) {
      for (int s = 0; s < TinyTokenizer.SPECIAL_TOKENS.size(); s++) {
        String special = TinyTokenizer.SPECIAL_TOKENS.get(s);
        if (text.startsWith(special, i)) {
          ids.add(256L + s);
          i += special.length();
          continue outer;
        }
      }
      int end = i + Character.charCount(text.codePointAt(i));
      for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        ids.add((long) (b & 0xff));
      }
      i = end;
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static boolean[] toArray(List<Boolean> flags) {
    boolean[] out = new boolean[flags.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = flags.get(i);
    }
    return out;
  }

  private static String join(List<ChatTemplate.Segment> segments) {
    StringBuilder text = new StringBuilder();
    segments.forEach(s -> text.append(s.text()));
    return text.toString();
  }

  private record Piece(String text, boolean trained) {}
}
