package io.sluice.model.skills;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * An algorithmic skill: items come from a generator, and a fixed set drawn with its own seed is
 * held out of training so the evaluation measures generalisation.
 */
abstract class HeldOutSkill implements Skill {
  // Fixed so the evaluation set never depends on a pretraining seed.
  private static final long EVAL_SEED = 20_240_601L;
  private final List<SkillItem> evalSet;
  private final Set<String> heldOutPrompts;

  HeldOutSkill(int evalSize) {
    Random random = new Random(EVAL_SEED ^ getClass().getSimpleName().hashCode());
    Set<String> prompts = new LinkedHashSet<>();
    List<SkillItem> items = new ArrayList<>();
    while (items.size() < evalSize) {
      SkillItem item = generate(random);
      if (prompts.add(item.prompt())) {
        items.add(item);
      }
    }
    evalSet = List.copyOf(items);
    heldOutPrompts = Set.copyOf(prompts);
  }

  abstract SkillItem generate(Random random);

  @Override
  public SkillItem sample(Random random) {
    while (true) {
      SkillItem item = generate(random);
      if (!heldOutPrompts.contains(item.prompt())) {
        return item;
      }
    }
  }

  @Override
  public List<SkillItem> evalSet() {
    return evalSet;
  }
}
