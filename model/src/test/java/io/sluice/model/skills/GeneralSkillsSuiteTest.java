package io.sluice.model.skills;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneralSkillsSuiteTest {

  @Test
  void sixSkillsWithStableDistinctEvaluationSets() {
    List<Skill> first = GeneralSkillsSuite.skills();
    List<Skill> second = GeneralSkillsSuite.skills();
    assertThat(first)
        .extracting(Skill::name)
        .containsExactly("arithmetic", "reverse", "pattern", "weekday", "capitals", "category");
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i).evalSet()).isEqualTo(second.get(i).evalSet()).isNotEmpty();
      assertThat(first.get(i).evalSet().stream().map(SkillItem::prompt).distinct().count())
          .isEqualTo(first.get(i).evalSet().size());
    }
  }

  @Test
  void algorithmicSkillsNeverTrainOnTheirEvaluationItems() {
    Random random = new Random(1);
    for (Skill skill : List.of(new ReverseSkill(), new PatternSkill())) {
      Set<String> held = new HashSet<>();
      skill.evalSet().forEach(item -> held.add(item.prompt()));
      for (int i = 0; i < 2000; i++) {
        assertThat(held).doesNotContain(skill.sample(random).prompt());
      }
    }
  }

  @Test
  void itemsAreCorrect() {
    assertThat(new ArithmeticSkill().evalSet())
        .hasSize(155)
        .allSatisfy(
            item -> {
              String expr = item.prompt().replace("What is ", "").replace("?", "");
              int value =
                  expr.contains("+")
                      ? Integer.parseInt(expr.split("\\+")[0])
                          + Integer.parseInt(expr.split("\\+")[1])
                      : Integer.parseInt(expr.split("-")[0]) - Integer.parseInt(expr.split("-")[1]);
              assertThat(item.answer()).isEqualTo(String.valueOf(value));
            });
    assertThat(new ReverseSkill().evalSet())
        .allSatisfy(
            item ->
                assertThat(
                        new StringBuilder(item.prompt().substring("Reverse: ".length()))
                            .reverse()
                            .toString())
                    .isEqualTo(item.answer()));
    List<String> days =
        List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    assertThat(new WeekdaySkill().evalSet())
        .hasSize(42)
        .allSatisfy(
            item -> {
              String[] words = item.prompt().replace("?", "").split(" ");
              int expected = (days.indexOf(words[3]) + Integer.parseInt(words[0])) % 7;
              assertThat(item.answer()).isEqualTo(days.get(expected));
            });
    assertThat(new CapitalsSkill().evalSet())
        .contains(new SkillItem("Capital of Japan?", "Tokyo"))
        .hasSize(40);
    assertThat(new CategorySkill().evalSet())
        .contains(new SkillItem("Category of violin?", "instrument"))
        .hasSize(64);
  }
}
