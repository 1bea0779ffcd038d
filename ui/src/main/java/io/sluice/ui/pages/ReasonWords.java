package io.sluice.ui.pages;

import java.util.Map;

/**
 * What each reason code of a decision means, in a sentence a reviewer reads without the evaluator
 * docs at hand (docs/evaluator.md has the rules in full). The decision's own message carries the
 * numbers.
 */
public final class ReasonWords {

  private static final Map<String, String> MEANING =
      Map.ofEntries(
          Map.entry(
              "PASSED",
              "Every rule of the gate held: the domain improved significantly and no"
                  + " general skill was forgotten."),
          Map.entry(
              "FORGETTING",
              "A general skill dropped by more than the allowed drop against the" + " champion."),
          Map.entry(
              "FORGETTING_BUDGET",
              "A general skill dropped by more than the forgetting budget"
                  + " against the bare base model."),
          Map.entry(
              "DOMAIN_NOT_IMPROVED",
              "The track's own holdout did not improve by the required"
                  + " margin over the champion."),
          Map.entry(
              "NOT_SIGNIFICANT",
              "The paired bootstrap interval of the domain gain does not lie"
                  + " above zero: the gain may be noise."),
          Map.entry(
              "NO_HOLDOUT", "The track has no holdout items, so the domain could not be measured."),
          Map.entry(
              "LOAD_CHECK_FAILED",
              "The adapter does not load onto the base model (unknown key,"
                  + " wrong shape or non-finite values)."),
          Map.entry("NO_EFFECT", "The adapter changes no output of the base model."),
          Map.entry(
              "BASE_MISMATCH",
              "The adapter was trained on other base weights than the ones served."),
          Map.entry("CORRUPT_ADAPTER", "The adapter's files are unreadable."),
          Map.entry("ADAPTER_MISSING", "The adapter's directory or files are missing."),
          Map.entry(
              "SERVING_LINT", "The adapter breaks a rule PEFT, vLLM or LoRAX load adapters by."),
          Map.entry("CHAMPION_UNAVAILABLE", "The champion could not be loaded; the base stood in."),
          Map.entry("EVALUATION_FAILED", "Scoring the adapter failed."),
          Map.entry("MANUAL_PROMOTE", "An operator promoted the adapter, overriding the gate."),
          Map.entry("ROLLBACK", "An operator restored the previous champion."));

  private ReasonWords() {}

  /** The code's meaning, or an empty string for a code this page does not know. */
  public static String meaning(String code) {
    return MEANING.getOrDefault(code, "");
  }
}
