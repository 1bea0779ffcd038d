package io.sluice.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Hugging Face {@code tokenizer.json} (through DJL's native tokenizers) plus the chat template
 * that turns conversations into token ids with the assistant span marked.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final ChatTemplate template;
  private final long stopId;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, ChatTemplate template) {
    this.tokenizer = tokenizer;
    this.template = template;
    long[] stop = encode(template.stop());
    if (stop.length != 1) {
      tokenizer.close();
      throw new ModelFormatException(
          "the chat template's stop '" + template.stop() + "' must be one token but encodes to " + stop.length);
    }
    this.stopId = stop[0];
  }

  /** Loads {@code dir/tokenizer.json} with the given chat template. */
  public static TextTokenizer load(Path dir, ChatTemplate template) throws IOException {
    Path file = Files.isDirectory(dir) ? dir.resolve("tokenizer.json") : dir;
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException("no tokenizer.json at " + file);
    }
    HuggingFaceTokenizer hf;
    try {
      // Post-processor specials (BOS etc.) come from the chat template, never from the
      // tokenizer; truncation off so long training texts are never cut silently.
      hf = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optAddSpecialTokens(false)
          .optTruncation(false)
          .build();
    } catch (RuntimeException e) {
      throw new ModelFormatException(file + " is not a usable tokenizer.json: " + e.getMessage(), e);
    }
    return new TextTokenizer(hf, template);
  }

  /** Token ids of {@code text}; special tokens written in the text are recognised. */
  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  /** Decodes keeping special tokens, to show exactly what the model sees. */
  public String decodeWithSpecials(long[] ids) {
    return tokenizer.decode(ids, false);
  }

  /** The id that ends an assistant turn. */
  public long stopId() {
    return stopId;
  }

  /** Token ids of the rendered prompt, ending with the assistant's turn prefix. */
  public long[] encodePrompt(List<ChatMessage> messages) {
    return encode(template.renderPrompt(messages));
  }

  /**
   * prompt + completion + stop as one sequence. Prompt and completion are encoded separately so
   * the boundary is exact: {@code completionStart} is the first completion token.
   */
  public TokenizedExample encodeExample(List<ChatMessage> messages, String completion) {
    long[] prompt = encodePrompt(messages);
    long[] answer = encode(template.renderCompletion(completion));
    long[] ids = new long[prompt.length + answer.length];
    System.arraycopy(prompt, 0, ids, 0, prompt.length);
    System.arraycopy(answer, 0, ids, prompt.length, answer.length);
    return new TokenizedExample(ids, prompt.length);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
