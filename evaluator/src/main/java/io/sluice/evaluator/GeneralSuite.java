package io.sluice.evaluator;

import io.sluice.model.BatchScoring;
import io.sluice.model.LanguageModel;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.skills.BatchedSkillsSuite;
import java.util.Map;

/** General tasks whose scores must not drop when an adapter is promoted. */
public interface GeneralSuite {

  /** Names the suite in caches and reports (e.g. the file and its hash). */
  String id();

  /**
   * Score per task, each in [0, 1].
   *
   * @param adaptation the adapter's merged form, or {@link Adaptation#NONE} for the base
   */
  Map<String, Double> evaluate(LanguageModel lm, Adaptation adaptation, int batchSize);

  /** The built-in general-skills suite of the bundled default model (six skills, exact match). */
  static GeneralSuite builtIn() {
    return new GeneralSuite() {
      @Override
      public String id() {
        return "general-skills";
      }

      @Override
      public Map<String, Double> evaluate(LanguageModel lm, Adaptation adaptation, int batchSize) {
        return BatchedSkillsSuite.evaluate(lm, adaptation, batchSize).skills();
      }
    };
  }

  /** Batch size when a caller has no opinion. */
  int DEFAULT_BATCH = BatchScoring.DEFAULT_BATCH;
}
