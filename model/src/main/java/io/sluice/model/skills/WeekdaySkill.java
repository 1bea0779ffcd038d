package io.sluice.model.skills;

import java.util.ArrayList;
import java.util.List;

/**
 * Weekday arithmetic: which day is 1–6 days after a given day (42 facts, scored on recall; held-out
 * day/offset pairs were not generalised by the tiny model: 5% after a full pretraining).
 */
public final class WeekdaySkill extends FactSkill {
  static final List<String> DAYS =
      List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

  public WeekdaySkill() {
    super(facts());
  }

  private static List<SkillItem> facts() {
    List<SkillItem> items = new ArrayList<>();
    for (int day = 0; day < 7; day++) {
      for (int offset = 1; offset <= 6; offset++) {
        String unit = offset == 1 ? " day" : " days";
        items.add(
            new SkillItem(
                offset + unit + " after " + DAYS.get(day) + "?", DAYS.get((day + offset) % 7)));
      }
    }
    return items;
  }

  @Override
  public String name() {
    return "weekday";
  }
}
