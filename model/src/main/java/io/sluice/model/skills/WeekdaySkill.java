package io.sluice.model.skills;

import java.util.List;
import java.util.Random;

/** Weekday arithmetic: which day is 1–13 days after a given day. */
public final class WeekdaySkill extends HeldOutSkill {
  private static final List<String> DAYS =
      List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

  public WeekdaySkill() {
    super(21);
  }

  @Override
  public String name() {
    return "weekday";
  }

  @Override
  SkillItem generate(Random random) {
    int day = random.nextInt(7);
    int offset = 1 + random.nextInt(13);
    String unit = offset == 1 ? " day" : " days";
    return new SkillItem(offset + unit + " after " + DAYS.get(day) + "?", DAYS.get((day + offset) % 7));
  }
}
