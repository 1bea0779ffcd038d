package io.sluice.model.skills;

import java.util.Random;

/** Addition and non-negative subtraction of numbers 0–49. */
public final class ArithmeticSkill extends HeldOutSkill {
  public ArithmeticSkill() {
    super(60);
  }

  @Override
  public String name() {
    return "arithmetic";
  }

  @Override
  SkillItem generate(Random random) {
    int a = random.nextInt(50);
    int b = random.nextInt(50);
    if (random.nextBoolean()) {
      return new SkillItem("What is " + a + "+" + b + "?", String.valueOf(a + b));
    }
    int hi = Math.max(a, b);
    int lo = Math.min(a, b);
    return new SkillItem("What is " + hi + "-" + lo + "?", String.valueOf(hi - lo));
  }
}
