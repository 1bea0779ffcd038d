package io.sluice.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the default model's tokenizer: byte-level BPE with no merges (one token per UTF-8 byte,
 * so any text round-trips) plus ChatML's special tokens. Ids 0–255 are the bytes themselves.
 */
public final class TinyTokenizer {
  public static final List<String> SPECIAL_TOKENS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
  public static final int VOCAB_SIZE = 256 + SPECIAL_TOKENS.size();
  public static final int END_OF_TEXT_ID = 256;
  public static final int IM_END_ID = 258;

  private TinyTokenizer() {}

  /** Writes tokenizer.json and a transformers-style tokenizer_config.json into {@code dir}. */
  public static void write(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
      ObjectNode t = added.addObject();
      t.put("id", 256 + i);
      t.put("content", SPECIAL_TOKENS.get(i));
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
    for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
      vocab.put(SPECIAL_TOKENS.get(i), 256 + i);
    }
    model.putArray("merges");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tokenizer.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));

    ObjectNode config = json.createObjectNode();
    config.put("tokenizer_class", "PreTrainedTokenizerFast");
    config.put("eos_token", "<|im_end|>");
    config.put("pad_token", "<|endoftext|>");
    config.put("bos_token", (String) null);
    config.put("model_max_length", 512);
    config.put(
        "chat_template",
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}");
    Files.writeString(dir.resolve("tokenizer_config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(config));
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
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      map[b] = printable ? (char) b : (char) (256 + next++);
    }
    return map;
  }
}
