package io.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory stays within the caps; what a cap drops is counted and never shown as waiting. */
class RegistryStateTest {

  @TempDir Path store;

  @Test
  void eachTopicKeepsItsNewestRecordsWithinItsCap() {
    RegistryState state = new RegistryState(new UiConfig.Caps(10, 2, 2, 2));
    for (int i = 0; i < 5; i++) {
      String id = "ad-" + i;
      state.putCandidate(RegistryRecords.candidate("acme", "t", id, store, i));
      state.putEvaluation(RegistryRecords.report("acme", "t", id, 1.0, i));
      state.putDecision(RegistryRecords.promote("acme", "t", id, i));
    }

    assertThat(state.candidate("ad-2")).isEmpty();
    assertThat(state.candidate("ad-3")).isPresent();
    RegistryState.TrackHistory track = state.track("acme", "t").orElseThrow();
    assertThat(track.candidates())
        .extracting(c -> c.getCandidateId())
        .containsExactly("ad-3", "ad-4");
    assertThat(track.decisions()).hasSize(2);
    assertThat(track.evaluations()).hasSize(2);
    assertThat(state.leftOut())
        .isEqualTo(
            Map.of(
                "sluice.adapters.candidates",
                3L,
                "sluice.adapters.decisions",
                3L,
                "sluice.adapters.evaluations",
                3L));
  }

  @Test
  void aCandidateOlderThanEveryHeldDecisionIsNotCalledWaitingOnceDecisionsWereDropped() {
    RegistryState state = new RegistryState(new UiConfig.Caps(10, 1, 10, 10));
    state.putCandidate(RegistryRecords.candidate("acme", "t", "ad-old", store, 0));
    state.putDecision(RegistryRecords.promote("acme", "t", "ad-old", 1));
    state.putCandidate(RegistryRecords.candidate("acme", "t", "ad-mid", store, 2));
    state.putDecision(RegistryRecords.promote("acme", "t", "ad-mid", 3));
    state.putCandidate(RegistryRecords.candidate("acme", "t", "ad-new", store, 4));

    assertThat(state.track("acme", "t").orElseThrow().waiting())
        .extracting(c -> c.getCandidateId())
        .containsExactly("ad-new");
  }

  @Test
  void tracksBeyondTheCapAreCountedAndATombstoneForgetsATrack() {
    RegistryState state = new RegistryState(new UiConfig.Caps(1, 10, 10, 10));
    state.putRegistry("acme/a", RegistryRecords.entry("acme", "a", "ad-a", 0));
    state.putRegistry("acme/b", RegistryRecords.entry("acme", "b", "ad-b", 1));

    assertThat(state.tracks(tenant -> true)).extracting(t -> t.track()).containsExactly("a");
    assertThat(state.leftOut()).containsEntry("sluice.adapters.registry", 1L);
    state.putRegistry("acme/a", null);
    assertThat(state.tracks(tenant -> true)).isEmpty();
  }
}
