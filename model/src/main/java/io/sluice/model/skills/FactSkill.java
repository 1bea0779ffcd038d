package io.sluice.model.skills;

import java.util.List;
import java.util.Random;

/**
 * A knowledge skill: a fixed set of facts that pretraining teaches, evaluated on all of them.
 * Recall of taught facts is what fine-tuning on another domain destroys first.
 */
abstract class FactSkill implements Skill {
  private final List<SkillItem> facts;

  FactSkill(List<SkillItem> facts) {
    this.facts = List.copyOf(facts);
  }

  @Override
  public SkillItem sample(Random random) {
    return facts.get(random.nextInt(facts.size()));
  }

  @Override
  public List<SkillItem> evalSet() {
    return facts;
  }
}
