package io.sluice.model.skills;

import io.sluice.model.BatchScoring;
import io.sluice.model.LanguageModel;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link GeneralSkillsSuite} scored in batches: the same items, the same greedy answers, the same
 * token budgets (answer length plus two), so the accuracies equal the one-at-a-time run's.
 */
public final class BatchedSkillsSuite {
  private static final int SLACK_TOKENS = 2;
  private static final int FAILURES_KEPT = 12;

  private BatchedSkillsSuite() {}

  /**
   * Scores {@code model} under {@code adaptation}; a LoRA adapter runs through its merged weights.
   */
  public static SuiteResult evaluate(LanguageModel model, Adaptation adaptation, int batchSize) {
    if (adaptation instanceof LoraAdapter lora) {
      try (LoraAdapter.Merged merged = lora.merged()) {
        return score(model, merged, batchSize);
      }
    }
    return score(model, adaptation, batchSize);
  }

  private static SuiteResult score(LanguageModel model, Adaptation adaptation, int batchSize) {
    long start = System.nanoTime();
    List<Skill> skills = GeneralSkillsSuite.skills();
    List<long[]> prompts = new ArrayList<>();
    List<Integer> budgets = new ArrayList<>();
    List<SkillItem> items = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    for (Skill skill : skills) {
      for (SkillItem item : skill.evalSet()) {
        prompts.add(model.tokenizer().encodePrompt(GeneralSkillsSuite.asMessages(item)));
        budgets.add(model.tokenizer().encode(item.answer()).length + SLACK_TOKENS);
        items.add(item);
        owners.add(skill.name());
      }
    }
    List<long[]> answers =
        BatchScoring.greedy(
            model,
            adaptation,
            prompts,
            budgets.stream().mapToInt(Integer::intValue).toArray(),
            batchSize);
    Map<String, int[]> counts = new LinkedHashMap<>();
    skills.forEach(s -> counts.put(s.name(), new int[2]));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String answer = model.tokenizer().decode(answers.get(i)).strip();
      int[] c = counts.get(owners.get(i));
      c[1]++;
      if (answer.equals(items.get(i).answer())) {
        c[0]++;
      } else if (failures.size() < FAILURES_KEPT) {
        failures.add(
            owners.get(i)
                + ": "
                + items.get(i).prompt()
                + " → '"
                + answer
                + "', want '"
                + items.get(i).answer()
                + "'");
      }
    }
    Map<String, Double> accuracy = new LinkedHashMap<>();
    counts.forEach((name, c) -> accuracy.put(name, (double) c[0] / c[1]));
    double mean = accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return new SuiteResult(
        accuracy, mean, items.size(), (System.nanoTime() - start) / 1e9, failures);
  }
}
