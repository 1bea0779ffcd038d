package io.sluice.evaluator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's scores on one holdout snapshot.
 *
 * @param perItem the gate's metric per item (mean log-probability per answer token), in snapshot order
 * @param exactMatch share of greedy answers equal to the reference (after trimming)
 * @param tokenF1 mean word-level F1 of greedy answers against the reference
 * @param preferenceAccuracy share of pairs whose chosen answer is likelier than the rejected one;
 *     NaN without pairs
 */
public record DomainScores(double[] perItem, double exactMatch, double tokenF1, double preferenceAccuracy, int pairs) {

  /** The per-item metric the gate compares: continuous, so its paired bootstrap is informative. */
  public static final String GATE_METRIC = "answer_logprob";

  public double meanLogProb() {
    return PromotionGate.mean(perItem);
  }

  /** The report's map: answer_logprob, loss (= −answer_logprob), exact_match, token_f1, preference_accuracy, items. */
  public Map<String, Double> asMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("items", (double) perItem.length);
    if (perItem.length == 0) {
      return out;
    }
    out.put(GATE_METRIC, meanLogProb());
    out.put("loss", -meanLogProb());
    out.put("exact_match", exactMatch);
    out.put("token_f1", tokenF1);
    if (pairs > 0) {
      out.put("preference_accuracy", preferenceAccuracy);
      out.put("pairs", (double) pairs);
    }
    return out;
  }
}
