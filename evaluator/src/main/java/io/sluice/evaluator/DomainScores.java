package io.sluice.evaluator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's scores on one holdout snapshot.
 *
 * @param perItem the gate's metric per item, in snapshot order: the reference answer's mean
 *     log-probability per token for SFT items; for pairs, the chosen answer's minus the rejected
 *     answer's (what preference training raises, while it may lower both); for votes, the
 *     response's, negated when it was down-voted (so a candidate's gain over the champion is how
 *     far it moved the response the way the vote asked)
 * @param answerLogProb mean over items with a reference (all but down-voted responses) of the
 *     reference (or chosen) answer's log-probability per token
 * @param exactMatch share of greedy answers equal to the reference (after trimming)
 * @param tokenF1 mean word-level F1 of greedy answers against the reference
 * @param preferenceAccuracy share of pairs whose chosen answer is likelier than the rejected one;
 *     NaN without pairs
 * @param voteMargin mean per-token log-probability of up-voted responses minus that of down-voted
 *     ones; NaN unless both kinds are held out
 * @param votes held-out votes (binary feedback) scored
 */
public record DomainScores(
    double[] perItem,
    double answerLogProb,
    double exactMatch,
    double tokenF1,
    double preferenceAccuracy,
    int pairs,
    double voteMargin,
    int votes) {

  /** The per-item metric the gate compares: continuous, so its paired bootstrap is informative. */
  public static final String GATE_METRIC = "gate_score";

  /**
   * The report's map: gate_score (mean of the per-item metric), answer_logprob, loss (=
   * −answer_logprob), exact_match, token_f1, preference_accuracy, items, pairs, votes, vote_margin.
   */
  public Map<String, Double> asMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("items", (double) perItem.length);
    if (perItem.length == 0) {
      return out;
    }
    out.put(GATE_METRIC, PromotionGate.mean(perItem));
    if (!Double.isNaN(answerLogProb)) {
      // NaN only when every item is a down-voted response: nothing to imitate or match
      out.put("answer_logprob", answerLogProb);
      out.put("loss", -answerLogProb);
      out.put("exact_match", exactMatch);
      out.put("token_f1", tokenF1);
    }
    if (pairs > 0) {
      out.put("preference_accuracy", preferenceAccuracy);
      out.put("pairs", (double) pairs);
    }
    if (votes > 0) {
      out.put("votes", (double) votes);
      if (!Double.isNaN(voteMargin)) {
        out.put("vote_margin", voteMargin);
      }
    }
    return out;
  }
}
