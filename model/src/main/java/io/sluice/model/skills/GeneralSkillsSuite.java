package io.sluice.model.skills;

import io.sluice.model.ChatMessage;
import io.sluice.model.GenerationOptions;
import io.sluice.model.LanguageModel;
import io.sluice.model.LoraAdapter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The general-skills suite of the default model: six skills, each with a fixed evaluation set,
 * scored by greedy exact match. The evaluator runs it before and after fine-tuning to detect
 * forgetting.
 */
public final class GeneralSkillsSuite {
  public static final String NAME = "general";
  // The longest answer ("Buenos Aires", "instrument") is 12 tokens; the stop token ends sooner.
  private static final GenerationOptions DECODING = GenerationOptions.greedy(16);
  private static final int FAILURES_KEPT = 12;

  private GeneralSkillsSuite() {}

  /** The skills in reporting order. */
  public static List<Skill> skills() {
    return List.of(
        new ArithmeticSkill(),
        new ReverseSkill(),
        new PatternSkill(),
        new WeekdaySkill(),
        new CapitalsSkill(),
        new CategorySkill());
  }

  /** The chat form every skill item is asked in (one user turn). */
  public static List<ChatMessage> asMessages(SkillItem item) {
    return List.of(ChatMessage.user(item.prompt()));
  }

  /**
   * Scores {@code model}. With an adapter, it is enabled for the run and restored after; without
   * one, the model is scored as it stands.
   */
  public static SuiteResult evaluate(LanguageModel model, Optional<LoraAdapter> adapter) {
    boolean wasEnabled = adapter.map(LoraAdapter::isEnabled).orElse(false);
    adapter.ifPresent(a -> a.setEnabled(true));
    try {
      long start = System.nanoTime();
      Map<String, Double> accuracy = new LinkedHashMap<>();
      List<String> failures = new ArrayList<>();
      int items = 0;
      for (Skill skill : skills()) {
        int correct = 0;
        for (SkillItem item : skill.evalSet()) {
          String answer = model.chat(asMessages(item), DECODING).strip();
          if (answer.equals(item.answer())) {
            correct++;
          } else if (failures.size() < FAILURES_KEPT) {
            failures.add(skill.name() + ": " + item.prompt() + " → '" + answer + "', want '" + item.answer() + "'");
          }
        }
        items += skill.evalSet().size();
        accuracy.put(skill.name(), (double) correct / skill.evalSet().size());
      }
      double mean = accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
      return new SuiteResult(accuracy, mean, items, (System.nanoTime() - start) / 1e9, failures);
    } finally {
      adapter.ifPresent(a -> a.setEnabled(wasEnabled));
    }
  }
}
