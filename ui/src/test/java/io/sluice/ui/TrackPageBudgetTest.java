package io.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ui.pages.TrackPage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The forgetting budget band of the skill charts follows what the evaluator applied to each
 * evaluation (its report's {@code forgettingBudget}), unless {@code ui.forgetting.budget} is set.
 */
class TrackPageBudgetTest {

  private static final Pattern BAND =
      Pattern.compile("<polygon class=\"band\"[^>]* points=\"([^\"]*)\"><title>([^<]*)</title>");

  @Test
  void shouldShadeTheBudgetEachEvaluationWasJudgedWith() {
    String page = page(OptionalDouble.empty(), 0.05, 0.10);

    assertThat(page).contains("the forgetting budget each evaluation was judged with (0.050 to");
    assertThat(bands(page)).hasSameSizeAs(RegistryRecords.SKILLS);
    assertThat(titles(page)).containsOnly("forgetting budget: base − 0.050 to 0.100");
    // The second evaluation's band is wider than the first's: the same two reports drawn with one
    // budget for both give another shape, and one budget recorded twice gives that shape.
    assertThat(bands(page)).doesNotContainAnyElementsOf(bands(page(OptionalDouble.of(0.05))));
    assertThat(bands(page(OptionalDouble.empty(), 0.05, 0.05)))
        .isEqualTo(bands(page(OptionalDouble.of(0.05), 0.05, 0.10)));
  }

  @Test
  void shouldLeaveAnEvaluationWithoutARecordedBudgetUnshaded() {
    String page = page(OptionalDouble.empty(), null, 0.05, 0.05);

    assertThat(page).contains("Evaluations whose report records no budget have no band.");
    assertThat(bands(page)).hasSameSizeAs(RegistryRecords.SKILLS);
    // The band starts at the second position: it is not the band of all three.
    assertThat(bands(page))
        .doesNotContainAnyElementsOf(bands(page(OptionalDouble.of(0.05), null, 0.05, 0.05)));

    String none = page(OptionalDouble.empty(), null, null);
    assertThat(none).contains("No report here records the forgetting budget");
    assertThat(bands(none)).isEmpty();
  }

  @Test
  void shouldDrawTheBudgetSetOnTheUiForEveryEvaluation() {
    String page = page(OptionalDouble.of(0.2), null, 0.05);

    assertThat(page).contains("set on this UI (ui.forgetting.budget 0.200)");
    assertThat(titles(page)).containsOnly("forgetting budget: base − 0.200");
    assertThat(bands(page)).hasSameSizeAs(RegistryRecords.SKILLS);
  }

  /** The track page of one evaluation per budget (the default three when none is given). */
  private static String page(OptionalDouble override, Double... budgets) {
    List<Double> judged = budgets.length == 0 ? Arrays.asList(0.05, 0.10) : Arrays.asList(budgets);
    RegistryState state = new RegistryState(new UiConfig.Caps(10, 10, 10, 10));
    for (int i = 0; i < judged.size(); i++) {
      String id = "ad-" + i;
      state.putEvaluation(RegistryRecords.report("acme", "t", id, 0.9, i, judged.get(i)));
      state.putDecision(RegistryRecords.promote("acme", "t", id, i));
    }
    return TrackPage.body(state.track("acme", "t").orElseThrow(), override);
  }

  private static List<String> bands(String page) {
    return matches(page, 1);
  }

  private static List<String> titles(String page) {
    return matches(page, 2);
  }

  private static List<String> matches(String page, int group) {
    List<String> found = new ArrayList<>();
    Matcher m = BAND.matcher(page);
    while (m.find()) {
      found.add(m.group(group));
    }
    return found;
  }
}
