package io.sluice.evaluator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's scores on one holdout snapshot.
 *
 * @param perItem the gate's metric per item, in snapshot order: the reference answer's mean
 *     log-probability per token for SFT items; for pairs, the chosen answer's minus the rejected
 *     answer's (what preference training raises, while it may lower both)
 * @param answerLogProb mean over items of the reference (or chosen) answer's log-probability per token
 * @param exactMatch share of greedy answers equal to the reference (after trimming)
 * @param tokenF1 mean word-level F1 of greedy answers against the reference
 * @param preferenceAccuracy share of pairs whose chosen answer is likelier than the rejected one;
 *     NaN without pairs
 */
public record DomainScores(double[] perItem, double answerLogProb, double exactMatch, double tokenF1, double preferenceAccuracy, int pairs) {

  /** The per-item metric the gate compares: continuous, so its paired bootstrap is informative. */
  public static final String GATE_METRIC = "gate_score";

  /**
   * The report's map: gate_score (mean of the per-item metric), answer_logprob, loss
   * (= −answer_logprob), exact_match, token_f1, preference_accuracy, items, pairs.
   */
  public Map<String, Double> asMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("items", (double) perItem.length);
    if (perItem.length == 0) {
      return out;
    }
    out.put(GATE_METRIC, PromotionGate.mean(perItem));
    out.put("answer_logprob", answerLogProb);
    out.put("loss", -answerLogProb);
    out.put("exact_match", exactMatch);
    out.put("token_f1", tokenF1);
    if (pairs > 0) {
      out.put("preference_accuracy", preferenceAccuracy);
      out.put("pairs", (double) pairs);
    }
    return out;
  }
}
