package io.sluice.model.skills;

import io.sluice.model.GenerationOptions;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The general-skills suite of the default model: six skills, each with a fixed evaluation set,
 * scored by greedy exact match. The evaluator runs it before and after fine-tuning to detect
 * forgetting.
 */
public final class GeneralSkillsSuite {
  public static final String NAME = "general";
  // Exact match cannot succeed once the answer's length is passed, so decoding stops there (two
  // tokens of slack for the stop token and stray whitespace): a damaged model that rambles costs
  // no more to score than a healthy one.
  private static final int SLACK_TOKENS = 2;
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
  public static List<ChatTurn> asMessages(SkillItem item) {
    return List.of(ChatTurn.user(item.prompt()));
  }

  /**
   * Scores {@code model} under {@code adaptation}; a LoRA adapter is scored through its merged
   * weights, which gives its answers at the base model's speed.
   */
  public static SuiteResult evaluate(LanguageModel model, Adaptation adaptation) {
    if (adaptation instanceof LoraAdapter lora) {
      try (LoraAdapter.Merged merged = lora.merged()) {
        return score(model, merged);
      }
    }
    return score(model, adaptation);
  }

  private static SuiteResult score(LanguageModel model, Adaptation adaptation) {
    long start = System.nanoTime();
    Map<String, Double> accuracy = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    int items = 0;
    for (Skill skill : skills()) {
      int correct = 0;
      for (SkillItem item : skill.evalSet()) {
        int budget = model.tokenizer().encode(item.answer()).length + SLACK_TOKENS;
        String answer =
            model.chat(asMessages(item), adaptation, GenerationOptions.greedy(budget)).strip();
        if (answer.equals(item.answer())) {
          correct++;
        } else if (failures.size() < FAILURES_KEPT) {
          failures.add(
              skill.name()
                  + ": "
                  + item.prompt()
                  + " → '"
                  + answer
                  + "', want '"
                  + item.answer()
                  + "'");
        }
      }
      items += skill.evalSet().size();
      accuracy.put(skill.name(), (double) correct / skill.evalSet().size());
    }
    double mean = accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return new SuiteResult(accuracy, mean, items, (System.nanoTime() - start) / 1e9, failures);
  }
}
