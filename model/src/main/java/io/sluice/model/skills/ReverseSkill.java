package io.sluice.model.skills;

import java.util.Random;

/** Reversing a random lowercase string of 3–6 letters. */
public final class ReverseSkill extends HeldOutSkill {
  public ReverseSkill() {
    super(40);
  }

  @Override
  public String name() {
    return "reverse";
  }

  @Override
  SkillItem generate(Random random) {
    StringBuilder word = new StringBuilder();
    int length = 3 + random.nextInt(4);
    for (int i = 0; i < length; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return new SkillItem("Reverse: " + word, new StringBuilder(word).reverse().toString());
  }
}
