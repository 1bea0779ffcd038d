package io.sluice.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
  @TempDir Path dir;

  @Test
  void tinyTokenizerRoundTripsArbitraryUtf8() throws Exception {
    TinyTokenizer.write(dir);
    try (TextTokenizer tokenizer = TextTokenizer.load(dir, ChatTemplate.chatMl())) {
      String text =
          "Mail <EMAIL_1> or call <PHONE_2>: Grüße, 東京, 🙂\ttabs\r\n  spaces "
              + "long ".repeat(500);
      long[] ids = tokenizer.encode(text);
      assertThat(ids).hasSize(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }
  }

  @Test
  void chatMlExampleMarksTheAnswerSpan() throws Exception {
    TinyTokenizer.write(dir);
    try (TextTokenizer tokenizer = TextTokenizer.load(dir, ChatTemplate.chatMl())) {
      TokenizedExample ex =
          tokenizer.encodeExample(
              List.of(new ChatTurn("system", "Be brief."), ChatTurn.user("Hi")), "Hello");
      String prompt =
          tokenizer.decodeWithSpecials(java.util.Arrays.copyOf(ex.ids(), ex.completionStart()));
      assertThat(prompt)
          .isEqualTo(
              "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
      long[] answer = java.util.Arrays.copyOfRange(ex.ids(), ex.completionStart(), ex.length());
      assertThat(tokenizer.decodeWithSpecials(answer)).isEqualTo("Hello<|im_end|>");
      assertThat(answer[answer.length - 1])
          .isEqualTo(tokenizer.stopId())
          .isEqualTo(TinyTokenizer.IM_END_ID);
    }
  }

  @Test
  void llama3TemplateRendersHeaders() {
    String prompt = ChatTemplate.llama3().renderPrompt(List.of(ChatTurn.user("Hi")));
    assertThat(prompt)
        .isEqualTo(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
  }

  @Test
  void templateWhoseStopIsNotOneTokenIsRefused() throws Exception {
    TinyTokenizer.write(dir);
    ChatTemplate llama3 = ChatTemplate.llama3();
    assertThatThrownBy(() -> TextTokenizer.load(dir, llama3))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("must be one token");
  }

  @Test
  void brokenTokenizerJsonFailsClearly() throws Exception {
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 42}");
    assertThatThrownBy(() -> TextTokenizer.load(dir, ChatTemplate.chatMl()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not a usable tokenizer.json");
  }
}
