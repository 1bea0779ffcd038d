package io.sluice.evaluator;

import io.sluice.model.BatchScoring;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores a model on holdout items in batches: answer log-likelihoods, greedy answers, pairs, votes.
 */
public final class DomainScorer {
  // Exact match is lost once the reference length is passed; two tokens of slack for the stop token
  // and stray whitespace, as the general-skills suite does.
  private static final int SLACK_TOKENS = 2;

  private DomainScorer() {}

  /**
   * @param adaptation the adapter to score, ideally its merged form (base speed)
   * @param maxNewTokens cap of greedy decoding per item
   */
  public static DomainScores score(
      LanguageModel lm,
      Adaptation adaptation,
      List<HoldoutItem> items,
      int batchSize,
      int maxNewTokens) {
    if (items.isEmpty()) {
      return new DomainScores(
          new double[0], Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, 0);
    }
    List<TokenizedExample> examples = new ArrayList<>();
    List<Integer> rejectedIndex = new ArrayList<>();
    for (HoldoutItem item : items) {
      examples.add(lm.tokenizer().encodeExample(item.messages(), item.answer()));
    }
    for (HoldoutItem item : items) {
      if (item.isPair()) {
        rejectedIndex.add(examples.size());
        examples.add(lm.tokenizer().encodeExample(item.messages(), item.rejected()));
      } else {
        rejectedIndex.add(-1);
      }
    }
    List<BatchScoring.AnswerLogProb> logProbs =
        BatchScoring.answerLogProbs(lm, adaptation, examples, batchSize);

    List<long[]> prompts = new ArrayList<>();
    int[] budgets = new int[items.size()];
    for (int i = 0; i < items.size(); i++) {
      HoldoutItem item = items.get(i);
      prompts.add(lm.tokenizer().encodePrompt(item.messages()));
      budgets[i] =
          Math.min(maxNewTokens, lm.tokenizer().encode(item.answer()).length + SLACK_TOKENS);
    }
    List<long[]> answers = BatchScoring.greedy(lm, adaptation, prompts, budgets, batchSize);

    double[] perItem = new double[items.size()];
    double answerLogProb = 0;
    double exact = 0;
    double f1 = 0;
    int references = 0;
    int pairs = 0;
    int preferred = 0;
    Votes votes = new Votes();
    for (int i = 0; i < items.size(); i++) {
      HoldoutItem item = items.get(i);
      perItem[i] = logProbs.get(i).mean();
      if (item.isVote()) {
        votes.add(item.desirable(), logProbs.get(i).mean());
        // A vote's paired margin: the gate's candidate − champion difference of this item is how
        // much the candidate raised an up-voted response (or lowered a down-voted one) per token.
        perItem[i] = item.desirable() ? logProbs.get(i).mean() : -logProbs.get(i).mean();
      }
      if (!item.hasReference()) {
        continue; // a down-voted response is no answer to imitate or match
      }
      references++;
      answerLogProb += logProbs.get(i).mean();
      String got = lm.tokenizer().decode(answers.get(i)).strip();
      String want = item.answer().strip();
      exact += got.equals(want) ? 1 : 0;
      f1 += tokenF1(got, want);
      int r = rejectedIndex.get(i);
      if (r >= 0) {
        pairs++;
        // Summed log-probabilities, as DPO compares them: the whole answer's likelihood.
        preferred += logProbs.get(i).sum() > logProbs.get(r).sum() ? 1 : 0;
        perItem[i] = logProbs.get(i).mean() - logProbs.get(r).mean();
      }
    }
    // NaN when every item is a down-voted response: there is no answer to imitate or match.
    double n = references == 0 ? Double.NaN : references;
    return new DomainScores(
        perItem,
        answerLogProb / n,
        exact / n,
        f1 / n,
        pairs == 0 ? Double.NaN : (double) preferred / pairs,
        pairs,
        votes.margin(),
        votes.count());
  }

  /** Per-token log-probabilities of up- and down-voted responses. */
  private static final class Votes {
    double desirable;
    int desirableCount;
    double undesirable;
    int undesirableCount;

    void add(boolean up, double logProbPerToken) {
      if (up) {
        desirable += logProbPerToken;
        desirableCount++;
      } else {
        undesirable += logProbPerToken;
        undesirableCount++;
      }
    }

    int count() {
      return desirableCount + undesirableCount;
    }

    /** Mean of the desirable minus mean of the undesirable; NaN unless both kinds are there. */
    double margin() {
      return desirableCount == 0 || undesirableCount == 0
          ? Double.NaN
          : desirable / desirableCount - undesirable / undesirableCount;
    }
  }

  /**
   * SQuAD-style F1 over lower-cased words stripped of punctuation; two empty answers agree fully.
   */
  static double tokenF1(String got, String want) {
    List<String> a = words(got);
    List<String> b = words(want);
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() && b.isEmpty() ? 1 : 0;
    }
    Map<String, Integer> counts = new HashMap<>();
    b.forEach(w -> counts.merge(w, 1, Integer::sum));
    int common = 0;
    for (String w : a) {
      Integer c = counts.get(w);
      if (c != null && c > 0) {
        common++;
        counts.put(w, c - 1);
      }
    }
    if (common == 0) {
      return 0;
    }
    double precision = (double) common / a.size();
    double recall = (double) common / b.size();
    return 2 * precision * recall / (precision + recall);
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("\\s+")) {
      String stripped = w.replaceAll("^\\p{Punct}+|\\p{Punct}+$", "");
      if (!stripped.isEmpty()) {
        out.add(stripped);
      }
    }
    return out;
  }
}
