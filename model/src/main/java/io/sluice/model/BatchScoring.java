package io.sluice.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.KvCache;
import io.sluice.model.train.Losses;
import io.sluice.model.train.SequenceBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greedy answers and answer log-likelihoods of many items at once, for evaluation. One forward pass
 * over B sequences costs little more than over one on a small model, so batching is what makes
 * scoring a candidate, its champion and the base on the same items affordable.
 *
 * <p>Generation batches only prompts of equal token length: every sequence then sits at the same
 * positions, so the causal mask and RoPE need no padding, no key mask and no position shift, and
 * each answer is exactly what {@link LanguageModel#generate} gives for it alone. Evaluation prompts
 * are templated, so equal lengths are common and groups stay large.
 */
public final class BatchScoring {
  /** Sequences per forward pass unless a caller says otherwise. */
  public static final int DEFAULT_BATCH = 64;

  private BatchScoring() {}

  /** A sequence's summed answer log-probability and the number of answer tokens it covers. */
  public record AnswerLogProb(double sum, int tokens) {
    /** Mean log-probability per answer token (minus the completion loss). */
    public double mean() {
      return tokens == 0 ? 0 : sum / tokens;
    }
  }

  /**
   * Greedy continuations of {@code prompts}, each stopping at the chat stop token, an eos id of the
   * config, or its own {@code maxNewTokens[i]}; stop tokens are not returned.
   */
  public static List<long[]> greedy(
      LanguageModel lm,
      Adaptation adaptation,
      List<long[]> prompts,
      int[] maxNewTokens,
      int batchSize) {
    if (prompts.size() != maxNewTokens.length) {
      throw new IllegalArgumentException(
          prompts.size() + " prompts but " + maxNewTokens.length + " token budgets");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive but is " + batchSize);
    }
    LlamaModel model = lm.model();
    Set<Long> stops = new HashSet<>();
    stops.add(lm.tokenizer().stopId());
    model.config().eosTokenIds().forEach(id -> stops.add((long) id));
    Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
    for (int i = 0; i < prompts.size(); i++) {
      int room = model.config().maxPositionEmbeddings() - prompts.get(i).length;
      if (Math.min(maxNewTokens[i], room) <= 0) {
        throw new IllegalArgumentException(
            "prompt "
                + i
                + " of "
                + prompts.get(i).length
                + " tokens leaves no room within max_position_embeddings "
                + model.config().maxPositionEmbeddings());
      }
      byLength.computeIfAbsent(prompts.get(i).length, k -> new ArrayList<>()).add(i);
    }
    long[][] out = new long[prompts.size()][];
    for (List<Integer> group : byLength.values()) {
      for (int from = 0; from < group.size(); from += batchSize) {
        List<Integer> chunk = group.subList(from, Math.min(group.size(), from + batchSize));
        generateChunk(lm, adaptation, prompts, maxNewTokens, chunk, stops, out);
      }
    }
    return Arrays.asList(out);
  }

  private static void generateChunk(
      LanguageModel lm,
      Adaptation adaptation,
      List<long[]> prompts,
      int[] maxNewTokens,
      List<Integer> chunk,
      Set<Long> stops,
      long[][] out) {
    LlamaModel model = lm.model();
    int b = chunk.size();
    int t = prompts.get(chunk.get(0)).length;
    int room = model.config().maxPositionEmbeddings() - t;
    int[] limit = new int[b];
    int steps = 0;
    long[] input = new long[b * t];
    for (int i = 0; i < b; i++) {
      limit[i] = Math.min(maxNewTokens[chunk.get(i)], room);
      steps = Math.max(steps, limit[i]);
      System.arraycopy(prompts.get(chunk.get(i)), 0, input, i * t, t);
    }
    List<List<Long>> answers = new ArrayList<>();
    boolean[] done = new boolean[b];
    for (int i = 0; i < b; i++) {
      answers.add(new ArrayList<>());
    }
    int open = b;
    try (KvCache cache = new KvCache(model.config().numHiddenLayers())) {
      long[] chunkIds = input;
      int width = t;
      for (int step = 0; step < steps && open > 0; step++) {
        long[] next;
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray ids = model.manager().create(chunkIds, new Shape(b, width));
          NDArray hidden = model.hidden(ids, cache, adaptation, false); // (B, T, H)
          // Only the last position picks a token: the LM head over the whole prompt would cost
          // B·T·V (gigabytes for a 50k vocabulary) for nothing.
          NDArray lastHidden = hidden.get(new NDIndex(":, -1:, :")); // (B, 1, H)
          NDArray last =
              model.logits(lastHidden).squeeze(1).toType(DataType.FLOAT32, false); // (B, V)
          next = argmaxRows(last.toFloatArray(), b);
        }
        for (int i = 0; i < b; i++) {
          if (done[i]) {
            continue;
          }
          if (stops.contains(next[i])) {
            done[i] = true;
            open--;
          } else {
            answers.get(i).add(next[i]);
            if (answers.get(i).size() >= limit[i]) {
              done[i] = true;
              open--;
            }
          }
        }
        chunkIds = next;
        width = 1;
      }
    }
    for (int i = 0; i < b; i++) {
      out[chunk.get(i)] = answers.get(i).stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** Row-wise argmax, the first index on ties, as {@link LanguageModel#generate}'s greedy pick. */
  private static long[] argmaxRows(float[] logits, int rows) {
    int v = logits.length / rows;
    long[] best = new long[rows];
    for (int r = 0; r < rows; r++) {
      int arg = 0;
      for (int j = 1; j < v; j++) {
        if (logits[r * v + j] > logits[r * v + arg]) {
          arg = j;
        }
      }
      best[r] = arg;
    }
    return best;
  }

  /**
   * Summed answer log-probabilities of tokenized examples (answer tokens plus the stop token, as
   * {@link Losses#sequenceLogProbs}). Examples are sorted by length before batching so padding
   * stays small; right padding leaves every real token at its true position.
   */
  public static List<AnswerLogProb> answerLogProbs(
      LanguageModel lm, Adaptation adaptation, List<TokenizedExample> examples, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive but is " + batchSize);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> examples.get(i).length()));
    AnswerLogProb[] out = new AnswerLogProb[examples.size()];
    for (int from = 0; from < order.size(); from += batchSize) {
      List<Integer> chunk = order.subList(from, Math.min(order.size(), from + batchSize));
      List<TokenizedExample> batchExamples = chunk.stream().map(examples::get).toList();
      float[] sums;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        SequenceBatch batch =
            SequenceBatch.of(batchExamples, lm.tokenizer().stopId(), lm.model().manager());
        sums =
            Losses.sequenceLogProbs(lm.model(), adaptation, batch, false)
                .toType(DataType.FLOAT32, false)
                .toFloatArray();
      }
      for (int i = 0; i < chunk.size(); i++) {
        TokenizedExample ex = batchExamples.get(i);
        out[chunk.get(i)] = new AnswerLogProb(sums[i], ex.targetCount());
      }
    }
    return Arrays.asList(out);
  }
}
