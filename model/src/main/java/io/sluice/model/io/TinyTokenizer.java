package io.sluice.model.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the default model's tokenizer: byte-level BPE with no merges (one token per UTF-8 byte, so
 * any text round-trips) plus ChatML's special tokens. Ids 0–255 are the bytes themselves.
 */
public final class TinyTokenizer {
  public static final List<String> SPECIAL_TOKENS =
      List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
  public static final int VOCAB_SIZE = 256 + SPECIAL_TOKENS.size();
  public static final int END_OF_TEXT_ID = 256;
  public static final int IM_END_ID = 258;

  private TinyTokenizer() {}

  /** Llama 3's special tokens, as ids 256–260 of {@link #writeLlama3}'s vocabulary. */
  public static final List<String> LLAMA3_SPECIAL_TOKENS =
      List.of(
          "<|begin_of_text|>",
          "<|end_of_text|>",
          "<|start_header_id|>",
          "<|end_header_id|>",
          "<|eot_id|>");

  /** Llama 3 Instruct's chat template, as its tokenizer_config.json carries it. */
  public static final String LLAMA3_CHAT_TEMPLATE =
      "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
          + "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
          + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
          + "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}";

  /**
   * The default model's chat template: plain ChatML (its tool format is Sluice's, see
   * ChatTemplates).
   */
  static final String CHATML_TEMPLATE =
      "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  /** Writes tokenizer.json and a transformers-style tokenizer_config.json into {@code dir}. */
  public static void write(Path dir) throws IOException {
    write(dir, SPECIAL_TOKENS, CHATML_TEMPLATE, "<|im_end|>", null, "<|endoftext|>");
  }

  /**
   * The same byte-level vocabulary with Llama 3's special tokens and chat template instead of
   * ChatML's: a Llama 3-format tokenizer small enough to generate in tests.
   */
  public static void writeLlama3(Path dir) throws IOException {
    write(
        dir,
        LLAMA3_SPECIAL_TOKENS,
        LLAMA3_CHAT_TEMPLATE,
        "<|eot_id|>",
        "<|begin_of_text|>",
        "<|end_of_text|>");
  }

  private static void write(
      Path dir, List<String> specialTokens, String chatTemplate, String eos, String bos, String pad)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < specialTokens.size(); i++) {
      ObjectNode t = added.addObject();
      t.put("id", 256 + i);
      t.put("content", specialTokens.get(i));
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(json));
    root.putNull("post_processor");
    root.set("decoder", byteLevel(json));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    char[] byteChars = byteToUnicode();
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(byteChars[b]), b);
    }
    for (int i = 0; i < specialTokens.size(); i++) {
      vocab.put(specialTokens.get(i), 256 + i);
    }
    model.putArray("merges");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("tokenizer.json"),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(root));

    ObjectNode config = json.createObjectNode();
    config.put("tokenizer_class", "PreTrainedTokenizerFast");
    config.put("eos_token", eos);
    config.put("pad_token", pad);
    config.put("bos_token", bos);
    config.put("model_max_length", 512);
    config.put("chat_template", chatTemplate);
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(config));
  }

  private static ObjectNode byteLevel(ObjectMapper json) {
    ObjectNode node = json.createObjectNode();
    node.put("type", "ByteLevel");
    node.put("add_prefix_space", false);
    node.put("trim_offsets", false);
    // No regex split: with no merges there is nothing to gain from word boundaries.
    node.put("use_regex", false);
    return node;
  }

  /**
   * GPT-2's byte → printable character map used by every byte-level BPE: printable Latin-1 bytes
   * map to themselves, the rest to U+0100 upwards.
   */
  static char[] byteToUnicode() {
    char[] map = new char[256];
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      map[b] = printable ? (char) b : (char) (256 + next++);
    }
    return map;
  }
}
