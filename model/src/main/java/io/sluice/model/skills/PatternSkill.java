package io.sluice.model.skills;

import java.util.Random;

/** Continuing a repeating letter pattern by its next three letters (sequence continuation). */
public final class PatternSkill extends HeldOutSkill {
  public PatternSkill() {
    super(40);
  }

  @Override
  public String name() {
    return "pattern";
  }

  @Override
  SkillItem generate(Random random) {
    int unit = 2 + random.nextInt(3);
    StringBuilder cycle = new StringBuilder();
    while (cycle.length() < unit) {
      char c = (char) ('a' + random.nextInt(26));
      if (cycle.indexOf(String.valueOf(c)) < 0) {
        cycle.append(c);
      }
    }
    int shown = 2 * unit + random.nextInt(unit);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < shown + 3; i++) {
      all.append(cycle.charAt(i % unit));
    }
    return new SkillItem("Continue: " + all.substring(0, shown), all.substring(shown));
  }
}
