package io.sluice.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates are identified from the checkpoint and render what the checkpoint's own Jinja renders.
 * Expected strings were produced by jinja2 3.1 (transformers' settings: trim_blocks, lstrip_blocks)
 * from the templates below.
 */
class ChatTemplatesTest {
  // SmolLM2-Instruct's template: ChatML with a default system message.
  private static final String SMOLLM2 =
      "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
          + "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}"
          + "{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
  private static final List<ChatTurn> CONVERSATION =
      List.of(new ChatTurn("system", " Be brief. "), ChatTurn.user("  What is 2+2?\n"));

  @TempDir Path dir;

  @Test
  void llama3TemplateIsIdentifiedAndTrimsLikeItsJinja() {
    ChatTemplate template = ChatTemplates.identify(TinyTokenizer.LLAMA3_CHAT_TEMPLATE, "test");
    assertThat(template.name()).isEqualTo("llama3");
    assertThat(template.renderPrompt(CONVERSATION))
        .isEqualTo(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user"
                + "<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    // the answer as the template renders an assistant turn: trimmed, then <|eot_id|>
    assertThat(template.renderCompletion("  4 \n")).isEqualTo("4<|eot_id|>");
  }

  @Test
  void llama31TemplateAlwaysOpensWithTheDatedSystemTurn() {
    // the parts of Llama 3.1 Instruct's template that a conversation without tools renders
    String jinja =
        "{{- bos_token }}{%- if not date_string is defined %}{%- set date_string = \"26 Jul 2024\" %}{%- endif %}"
            + "{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content']|trim %}"
            + "{%- set messages = messages[1:] %}{%- else %}{%- set system_message = \"\" %}{%- endif %}"
            + "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}{{- \"Cutting Knowledge Date: December 2023\\n\" }}"
            + "{{- \"Today Date: \" + date_string + \"\\n\\n\" }}{{- system_message }}{{- \"<|eot_id|>\" }}"
            + "{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + "+ message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
            + "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}";
    ChatTemplate template = ChatTemplates.identify(jinja, "test");
    assertThat(template.name()).isEqualTo("llama3.1");
    // rendered by jinja2 from the template above (and as vLLM logs Llama 3.1 prompts)
    assertThat(template.renderPrompt(CONVERSATION))
        .isEqualTo(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                + "Today Date: 26 Jul 2024\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?"
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    assertThat(template.renderPrompt(List.of(ChatTurn.user("Hi"))))
        .isEqualTo(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                + "Today Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    assertThat(template.renderCompletion(" 4 ")).isEqualTo("4<|eot_id|>");
  }

  @Test
  void chatMlWithADefaultSystemMessageRendersIt() {
    ChatTemplate template = ChatTemplates.identify(SMOLLM2, "test");
    assertThat(template.name()).isEqualTo("chatml");
    assertThat(template.defaultSystem())
        .isEqualTo("You are a helpful AI assistant named SmolLM, trained by Hugging Face");
    assertThat(template.renderPrompt(List.of(ChatTurn.user("Hi "))))
        .isEqualTo(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                + "<|im_start|>user\nHi <|im_end|>\n<|im_start|>assistant\n");
    // a conversation with its own system message gets no default, and ChatML never trims
    assertThat(template.renderPrompt(CONVERSATION))
        .isEqualTo(
            "<|im_start|>system\n Be brief. <|im_end|>\n<|im_start|>user\n  What is 2+2?\n<|im_end|>\n<|im_start|>assistant\n");
  }

  @Test
  void theTinyModelsTemplateIsPlainChatMl() throws Exception {
    TinyTokenizer.write(dir);
    assertThat(ChatTemplates.fromCheckpoint(dir)).isEqualTo(ChatTemplate.chatMl());
  }

  @Test
  void unidentifiableOrMissingTemplatesAreRefusedInsteadOfGuessed() throws Exception {
    // Qwen3 renders reasoning blocks that plain ChatML does not
    assertThatThrownBy(
            () ->
                ChatTemplates.identify(
                    "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' }}"
                        + "{%- if '</think>' in message.content %}<think>{%- endif %}{%- endfor %}",
                    "qwen3"))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("--chat-template chatml|llama3|llama3.1");
    assertThatThrownBy(() -> ChatTemplates.identify("{{ messages[0]['content'] }}</s>", "other"))
        .isInstanceOf(ModelFormatException.class);
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
    assertThatThrownBy(() -> ChatTemplates.fromCheckpoint(dir))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("has no chat template");
  }

  @Test
  void chatTemplateJinjaFileAndNamedTemplateListsAreRead() throws Exception {
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"x\"}, {\"name\": \"default\", \"template\": "
            + new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(TinyTokenizer.LLAMA3_CHAT_TEMPLATE)
            + "}]}");
    assertThat(ChatTemplates.fromCheckpoint(dir).name()).isEqualTo("llama3");
    Files.writeString(dir.resolve("chat_template.jinja"), SMOLLM2);
    assertThat(ChatTemplates.fromCheckpoint(dir).name()).isEqualTo("chatml");
  }

  @Test
  void generationConfigEosIdsAreRead() throws Exception {
    Files.writeString(
        dir.resolve("generation_config.json"), "{\"eos_token_id\": [128001, 128008, 128009]}");
    assertThat(ChatTemplates.generationEosIds(dir)).containsExactly(128001, 128008, 128009);
    assertThat(ChatTemplates.generationEosIds(dir.resolve("nowhere"))).isEmpty();
  }

  @Test
  void pythonStripIsJinjasTrim() {
    assertThat(ChatTemplate.pythonStrip("\u001c\u0085\u00a0 x y\u3000\u2028\t")).isEqualTo("x y");
    assertThat(ChatTemplate.pythonStrip("\u200b x"))
        .isEqualTo("\u200b x"); // zero-width space is not whitespace
  }
}
