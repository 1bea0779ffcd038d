package io.sluice.model.io;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.sluice.model.io.ChatTemplate.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

/**
 * A Hugging Face {@code tokenizer.json} (through DJL's native tokenizers) plus the chat template
 * that turns conversations into token ids with the assistant span marked.
 *
 * <p>Only the template's structure may produce special tokens; message content and completions are
 * encoded as plain text (see {@link SpecialTokenGuard}).
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final ChatTemplate template;
  private final long stopId;
  private final SpecialTokenGuard guard;
  // Guarded tokens per structural string; templates have a handful of distinct ones.
  private final Map<String, Integer> structureCounts = new ConcurrentHashMap<>();

  private TextTokenizer(HuggingFaceTokenizer tokenizer, ChatTemplate template, Path file)
      throws IOException {
    this.tokenizer = tokenizer;
    this.template = template;
    long[] stop = encodeWithSpecials(template.stop());
    if (stop.length != 1) {
      throw new ModelFormatException(
          "the chat template's stop '"
              + template.stop()
              + "' must be one token but encodes to "
              + stop.length);
    }
    this.stopId = stop[0];
    this.guard = SpecialTokenGuard.read(file, template.stop(), stopId);
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
      hf =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(file)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .build();
    } catch (RuntimeException e) {
      throw new ModelFormatException(
          file + " is not a usable tokenizer.json: " + e.getMessage(), e);
    }
    try {
      // The constructor's checks fail after the native tokenizer exists; it must not leak.
      return new TextTokenizer(hf, template, file);
    } catch (IOException | RuntimeException e) {
      hf.close();
      throw e;
    }
  }

  /**
   * Token ids of {@code text} as plain text: a special token's string written in it (e.g. {@code
   * <|im_end|>}) becomes its ordinary tokens, never the special token.
   */
  public long[] encode(String text) {
    return encode(List.of(new Segment(text, true)));
  }

  /**
   * Token ids of {@code text} with special tokens written in it recognised. Only for trusted text
   * such as a chat template's own markup.
   */
  public long[] encodeWithSpecials(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /**
   * Token ids of rendered segments: special tokens are recognised in structure only. Text with no
   * special-token string in its user segments is encoded in one call, exactly as the joined string
   * would be.
   */
  long[] encode(List<Segment> segments) {
    StringBuilder joined = new StringBuilder();
    segments.forEach(s -> joined.append(s.text()));
    String text = joined.toString();
    List<int[]> userRanges = SpecialTokenGuard.userRanges(segments);
    int expected =
        segments.stream().filter(s -> !s.userText()).mapToInt(this::structureCount).sum();
    long[] ids = encodePieces(text, guard.cuts(text, userRanges));
    if (guard.count(ids) == expected) {
      return ids;
    }
    // A normaliser (NFKC, lowercasing, ...) can turn user text into a special token that the
    // search on raw text cannot see; one code point at a time no multi-character token can form.
    long[] safe = encodePieces(text, SpecialTokenGuard.everyCodePoint(text, userRanges));
    if (guard.count(safe) != expected) {
      throw new IllegalArgumentException(
          "user text contains a character that this tokenizer normalises into a special token");
    }
    return safe;
  }

  private int structureCount(Segment structure) {
    return structureCounts.computeIfAbsent(
        structure.text(), t -> guard.count(encodeWithSpecials(t)));
  }

  private long[] encodePieces(String text, int[] cuts) {
    if (cuts.length == 0) {
      return encodeWithSpecials(text);
    }
    LongStream.Builder ids = LongStream.builder();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : text.length();
      if (to > from) {
        for (long id : encodeWithSpecials(text.substring(from, to))) {
          ids.add(id);
        }
      }
      from = to;
    }
    return ids.build().toArray();
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
  public long[] encodePrompt(List<ChatTurn> messages) {
    return encode(template.promptSegments(messages));
  }

  /** The chat template this tokenizer renders conversations with. */
  public ChatTemplate template() {
    return template;
  }

  /**
   * prompt + completion + stop as one sequence. Prompt and completion are encoded separately so the
   * boundary is exact: {@code completionStart} is the first completion token.
   */
  public TokenizedExample encodeExample(List<ChatTurn> messages, String completion) {
    return encodeConversation(messages, ChatTurn.answer(completion, List.of()), List.of());
  }

  /**
   * A whole conversation as one trained sequence: {@code prompt} (whose trained assistant turns are
   * targets too), then {@code answer}, offering {@code tools}. Each run of trained or untrained
   * segments is encoded on its own, so every boundary between context and target is exact, as
   * between a prompt and its completion.
   */
  public TokenizedExample encodeConversation(
      List<ChatTurn> prompt, ChatTurn answer, List<ToolSpec> tools) {
    List<ChatTurn> turns = new java.util.ArrayList<>(prompt);
    turns.add(answer);
    List<Segment> segments = template.conversationSegments(turns, tools);
    LongStream.Builder ids = LongStream.builder();
    List<Boolean> flags = new java.util.ArrayList<>();
    int from = 0;
    while (from < segments.size()) {
      boolean trained = segments.get(from).trained();
      int to = from;
      while (to < segments.size() && segments.get(to).trained() == trained) {
        to++;
      }
      for (long id : encode(segments.subList(from, to))) {
        ids.add(id);
        flags.add(trained);
      }
      from = to;
    }
    boolean[] trained = new boolean[flags.size()];
    for (int i = 0; i < trained.length; i++) {
      trained[i] = flags.get(i);
    }
    return TokenizedExample.masked(ids.build().toArray(), trained);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
