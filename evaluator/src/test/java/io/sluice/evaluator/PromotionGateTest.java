package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
  private static final GatePolicy POLICY = GatePolicy.defaults();
  private static final Map<String, Double> PERFECT = Map.of("arithmetic", 1.0, "capitals", 1.0);

  private static double[] ramp(int n, double offset) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = -3 + 0.1 * (i % 7) + offset;
    }
    return out;
  }

  private static PromotionGate.Decision gate(
      double[] candidate,
      double[] champion,
      Map<String, Double> cand,
      Map<String, Double> champ,
      Map<String, Double> base) {
    return PromotionGate.evaluate(
        POLICY, new PromotionGate.Input(candidate, champion, cand, champ, base, List.of()));
  }

  private static List<ReasonCode> codes(PromotionGate.Decision d) {
    return d.reasons().stream().map(GateReason::code).toList();
  }

  @Test
  void shouldRejectIdenticalScoresAsNotSignificantAndNotImproved() {
    double[] same = ramp(40, 0);
    PromotionGate.Decision d = gate(same, same.clone(), PERFECT, PERFECT, PERFECT);
    assertThat(d.promote()).isFalse();
    assertThat(codes(d))
        .containsExactly(ReasonCode.DOMAIN_NOT_IMPROVED, ReasonCode.NOT_SIGNIFICANT);
    assertThat(d.domain().lower()).isEqualTo(0.0);
    assertThat(d.domain().upper()).isEqualTo(0.0);
  }

  @Test
  void shouldPromoteAClearConsistentImprovementWithoutForgetting() {
    PromotionGate.Decision d = gate(ramp(30, 0.5), ramp(30, 0), PERFECT, PERFECT, PERFECT);
    assertThat(d.promote()).isTrue();
    assertThat(codes(d)).containsExactly(ReasonCode.PASSED);
    assertThat(d.domain().mean()).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(d.domain().lower()).isGreaterThan(0);
  }

  @Test
  void shouldCallANoisyImprovementNotSignificant() {
    // Mean +0.1 (above δ), but half the items get much worse: the interval straddles zero.
    double[] champion = new double[20];
    double[] candidate = new double[20];
    for (int i = 0; i < 20; i++) {
      candidate[i] = i % 2 == 0 ? 2.2 : -2.0;
    }
    PromotionGate.Decision d = gate(candidate, champion, PERFECT, PERFECT, PERFECT);
    assertThat(codes(d)).containsExactly(ReasonCode.NOT_SIGNIFICANT);
    assertThat(d.domain().lower()).isLessThan(0);
    assertThat(d.domain().upper()).isGreaterThan(0);
  }

  @Test
  void shouldNameTheForgottenTaskWithItsNumbers() {
    Map<String, Double> cand = new LinkedHashMap<>(PERFECT);
    cand.put("arithmetic", 0.34);
    PromotionGate.Decision d = gate(ramp(30, 0.5), ramp(30, 0), cand, PERFECT, PERFECT);
    assertThat(d.promote()).isFalse();
    GateReason forgetting =
        d.reasons().stream()
            .filter(r -> r.code() == ReasonCode.FORGETTING)
            .findFirst()
            .orElseThrow();
    assertThat(forgetting.task()).isEqualTo("arithmetic");
    assertThat(forgetting.from()).isEqualTo(1.0);
    assertThat(forgetting.to()).isEqualTo(0.34);
    assertThat(forgetting.drop()).isCloseTo(0.66, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(forgetting.message()).contains("arithmetic", "1.000", "0.340", "66.0 points");
  }

  @Test
  void shouldAllowADropWithinEpsilonButNotOneItemOfFortyMore() {
    Map<String, Double> within = Map.of("arithmetic", 0.98, "capitals", 1.0);
    assertThat(gate(ramp(30, 0.5), ramp(30, 0), within, PERFECT, PERFECT).promote()).isTrue();
    Map<String, Double> oneOfForty = Map.of("arithmetic", 1.0, "capitals", 39 / 40.0);
    assertThat(codes(gate(ramp(30, 0.5), ramp(30, 0), oneOfForty, PERFECT, PERFECT)))
        .containsExactly(ReasonCode.FORGETTING);
  }

  @Test
  void shouldEnforceTheCumulativeBudgetAgainstTheBase() {
    // Each step lost only 1.5 points against its champion, but 6 points since the base.
    Map<String, Double> base = Map.of("arithmetic", 1.0, "capitals", 1.0);
    Map<String, Double> champion = Map.of("arithmetic", 0.955, "capitals", 1.0);
    Map<String, Double> candidate = Map.of("arithmetic", 0.94, "capitals", 1.0);
    PromotionGate.Decision d = gate(ramp(30, 0.5), ramp(30, 0), candidate, champion, base);
    assertThat(codes(d)).containsExactly(ReasonCode.FORGETTING_BUDGET);
    assertThat(d.reasons().get(0).task()).isEqualTo("arithmetic");
    assertThat(d.reasons().get(0).from()).isEqualTo(1.0);
  }

  @Test
  void shouldRejectWithoutHoldoutAndKeepCheckFindings() {
    GateReason lint =
        GateReason.of(ReasonCode.SERVING_LINT, "rank 128 exceeds the serving maximum 64");
    PromotionGate.Decision d =
        PromotionGate.evaluate(
            POLICY,
            new PromotionGate.Input(
                new double[0], new double[0], PERFECT, PERFECT, PERFECT, List.of(lint)));
    assertThat(codes(d)).containsExactly(ReasonCode.SERVING_LINT, ReasonCode.NO_HOLDOUT);
    assertThat(d.domain()).isNull();
  }

  @Test
  void bootstrapIsSeededAndReproducible() {
    double[] a = ramp(25, 0.2);
    double[] b = ramp(25, 0);
    a[3] = 5;
    PairedBootstrap.Interval first = PairedBootstrap.of(a, b, 2000, 0.95, 7);
    PairedBootstrap.Interval second = PairedBootstrap.of(a, b, 2000, 0.95, 7);
    assertThat(second).isEqualTo(first);
    assertThat(first.lower()).isLessThanOrEqualTo(first.mean());
    assertThat(first.upper()).isGreaterThanOrEqualTo(first.mean());
  }
}
