package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.Action;
import io.sluice.schemas.avro.GateReason;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate on real measurements of the default model: a support adapter trained with the defaults
 * and rehearsal is promoted; one trained hard without rehearsal forgets a general skill and is
 * rejected with the skill and its drop named.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CandidateEvaluatorTest {
  @TempDir static Path store;
  @TempDir static Path state;
  private CandidateEvaluator evaluator;

  @BeforeAll
  void setUp() {
    evaluator =
        new CandidateEvaluator(
            Fixtures.lm(),
            Fixtures.identity().name(),
            Fixtures.identity().sha256(),
            GeneralSuite.builtIn(),
            Fixtures.config(state, store));
  }

  @Test
  void shouldPromoteAGoodAdapterAndRejectAForgettingOne() {
    Path good = Fixtures.train(store.resolve("acme/support/good"), "acme", 2e-4, 2, true);
    long start = System.nanoTime();
    CandidateEvaluator.Outcome promoted =
        evaluator.evaluate(
            Fixtures.candidate("good", "acme", "support", good),
            Fixtures.holdout("acme"),
            null,
            Instant.now());
    double firstSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "good: %s in %.1f s; domain %s vs %s; general %s%n",
        promoted.decision().getReasons(),
        firstSeconds,
        promoted.report().getDomainScores(),
        promoted.report().getBaselineDomainScores(),
        promoted.report().getGeneralScores());
    assertThat(promoted.decision().getAction())
        .as(promoted.decision().getReasons().toString())
        .isEqualTo(Action.PROMOTE);
    assertThat(promoted.registry().getVersion()).isEqualTo(1);
    assertThat(promoted.registry().getActive().getCandidateId()).isEqualTo("good");
    assertThat(promoted.report().getHoldoutSize()).isEqualTo(12);
    assertThat(promoted.report().getHoldoutHash())
        .isEqualTo(HoldoutStore.hash(Fixtures.holdout("acme")));
    assertThat(promoted.report().getDomainDifference().getLower()).isGreaterThan(0);
    // The budget the gate applied travels with the report (the UI draws it).
    assertThat(promoted.report().getForgettingBudget())
        .isEqualTo(Fixtures.config(state, store).gate().forgettingBudget());
    assertThat(promoted.report().getForgetting().keySet())
        .containsExactly("arithmetic", "reverse", "pattern", "weekday", "capitals", "category");

    Path bad = Fixtures.train(store.resolve("acme/support/bad"), "acme", 3e-3, 3, false);
    start = System.nanoTime();
    CandidateEvaluator.Outcome rejected =
        evaluator.evaluate(
            Fixtures.candidate("bad", "acme", "support", bad),
            Fixtures.holdout("acme"),
            promoted.registry(),
            Instant.now());
    double secondSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("bad: %s in %.1f s%n", rejected.decision().getReasons(), secondSeconds);
    assertThat(rejected.decision().getAction()).isEqualTo(Action.REJECT);
    assertThat(rejected.report().getChampionId()).isEqualTo("good");
    List<GateReason> forgetting =
        rejected.decision().getDetails().stream()
            .filter(d -> d.getCode().equals("FORGETTING"))
            .toList();
    assertThat(forgetting)
        .isNotEmpty()
        .allSatisfy(
            d -> {
              assertThat(d.getTask())
                  .isIn("arithmetic", "reverse", "pattern", "weekday", "capitals", "category");
              assertThat(d.getDrop()).isGreaterThan(0.02);
              assertThat(d.getFromValue() - d.getToValue()).isEqualTo(d.getDrop());
            });
    Map<String, Double> forgotten = rejected.report().getForgetting();
    forgetting.forEach(
        d ->
            assertThat(forgotten.get(d.getTask()))
                .isEqualTo(d.getDrop(), org.assertj.core.data.Offset.offset(1e-9)));
  }

  @Test
  void shouldRejectWhenTheTrackHasNoHoldout() throws Exception {
    Path adapter = Fixtures.randomAdapter(store.resolve("acme/empty/r"));
    CandidateEvaluator.Outcome outcome =
        evaluator.evaluate(
            Fixtures.candidate("r", "acme", "empty", adapter), List.of(), null, Instant.now());
    assertThat(outcome.decision().getAction()).isEqualTo(Action.REJECT);
    assertThat(outcome.decision().getDetails())
        .extracting(GateReason::getCode)
        .contains("NO_HOLDOUT");
    assertThat(outcome.registry()).isNull();
  }

  @Test
  void shouldRejectWhenTheChampionCannotBeLoadedAndCompareWithTheBaseInstead() throws Exception {
    Path adapter = Fixtures.randomAdapter(store.resolve("acme/support/r2"));
    io.sluice.schemas.avro.AdapterRef gone =
        io.sluice.schemas.avro.AdapterRef.newBuilder()
            .setCandidateId("gone")
            .setAdapterUri(store.resolve("acme/support/deleted").toString())
            .setBaseModel("sluice-tiny")
            .setPromotedAt(Instant.now())
            .setDecisionId("d")
            .build();
    io.sluice.schemas.avro.RegistryEntry current =
        RegistryTransitions.promote(
            null, "acme", "support", gone, "earlier", "gate", Instant.now());
    CandidateEvaluator.Outcome outcome =
        evaluator.evaluate(
            Fixtures.candidate("r2", "acme", "support", adapter),
            Fixtures.holdout("acme"),
            current,
            Instant.now());
    assertThat(outcome.decision().getAction()).isEqualTo(Action.REJECT);
    assertThat(outcome.decision().getDetails())
        .extracting(GateReason::getCode)
        .contains("CHAMPION_UNAVAILABLE");
    assertThat(outcome.report().getBaselineGeneralScores())
        .isEqualTo(outcome.report().getBaseGeneralScores());
  }
}
