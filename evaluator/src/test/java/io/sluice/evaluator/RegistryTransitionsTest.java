package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.RegistryEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RegistryTransitionsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static AdapterRef ref(String id) {
    return AdapterRef.newBuilder()
        .setCandidateId(id)
        .setAdapterUri("/store/" + id)
        .setBaseModel("sluice-tiny")
        .setPromotedAt(T)
        .setDecisionId("d-" + id)
        .build();
  }

  @Test
  void promotionsStackTheHistoryAndRollbackRestoresThePreviousChampion() {
    RegistryEntry v1 =
        RegistryTransitions.promote(null, "acme", "support", ref("a1"), "gate passed", "gate", T);
    assertThat(v1.getVersion()).isEqualTo(1);
    assertThat(v1.getPreviousCandidateId()).isNull();
    RegistryEntry v2 =
        RegistryTransitions.promote(v1, "acme", "support", ref("a2"), "gate passed", "gate", T);
    assertThat(v2.getVersion()).isEqualTo(2);
    assertThat(v2.getActive().getCandidateId()).isEqualTo("a2");
    assertThat(v2.getHistory()).extracting(AdapterRef::getCandidateId).containsExactly("a1");
    assertThat(v2.getPreviousCandidateId()).isEqualTo("a1");

    RegistryEntry v3 = RegistryTransitions.rollback(v2, "d-rb", "bad answers", "alice", T);
    assertThat(v3.getVersion()).isEqualTo(3);
    assertThat(v3.getActive().getCandidateId()).isEqualTo("a1");
    assertThat(v3.getHistory()).isEmpty();
    assertThat(v3.getPreviousCandidateId()).isEqualTo("a2");
    assertThat(v3.getActor()).isEqualTo("alice");

    RegistryEntry v4 = RegistryTransitions.rollback(v3, "d-rb2", "back to base", "alice", T);
    assertThat(v4.getActive()).isNull();
    assertThatThrownBy(() -> RegistryTransitions.rollback(v4, "d", "x", "alice", T))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no champion");
  }
}
