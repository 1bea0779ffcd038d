package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.train.TrainingObjective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetTest {
  private static final TopicPartition P = new TopicPartition("sluice.examples.curated", 2);
  @TempDir Path dir;

  private static List<PendingExample> pairs(int n) {
    List<PendingExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new PendingExample(
              P, 10 + i, Curated.pair("acme", "support", "p" + i, "Q" + i, "yes", "no"), 0, 0));
    }
    return out;
  }

  private TrackSettings settings(Map<String, String> overrides) {
    return TrainerConfig.load(Optional.empty(), Map.of(), overrides).defaults();
  }

  @Test
  void theIdDependsOnTenantTrackAndOffsetsOnly() throws Exception {
    TrackSettings s = settings(Map.of());
    ReplayReservoir reservoir = ReplayReservoir.open(dir, 10, 1);
    TrainingSet a = TrainingSet.build(pairs(4), s, reservoir, Rehearsal.generalSkills());
    TrainingSet b =
        TrainingSet.build(
            pairs(4), settings(Map.of(TrainerConfig.LR_CONFIG, "1e-3")), reservoir, null);
    assertThat(a.adapterId()).isEqualTo(b.adapterId());
    assertThat(a.sources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getFromOffset()).isEqualTo(10);
              assertThat(r.getUntilOffset()).isEqualTo(14);
            });
    assertThat(TrainingSet.build(pairs(3), s, reservoir, null).adapterId())
        .isNotEqualTo(a.adapterId());
  }

  @Test
  void rehearsalTakesItsShareOfTheSet() throws Exception {
    TrainingSet set =
        TrainingSet.build(
            pairs(8),
            settings(
                Map.of(
                    TrainerConfig.REPLAY_FRACTION_CONFIG,
                    "0.3",
                    TrainerConfig.REHEARSAL_FRACTION_CONFIG,
                    "0.2")),
            ReplayReservoir.open(dir, 10, 1),
            Rehearsal.generalSkills());
    // 8 window examples are half of 16: 0.2 of 16 is rehearsal; replay finds an empty reservoir
    assertThat(set.rehearsalCount()).isEqualTo(3);
    assertThat(set.replay()).isEmpty();
    assertThat(set.examples()).hasSize(11);
  }

  @Test
  void aDpoTrackWithRehearsalTrainsSftThenDpo() throws Exception {
    TrackSettings dpo = settings(Map.of(TrainerConfig.OBJECTIVE_CONFIG, "dpo"));
    TrainingSet withRehearsal =
        TrainingSet.build(
            pairs(8), dpo, ReplayReservoir.open(dir, 10, 1), Rehearsal.generalSkills());
    assertThat(TrainerService.objectiveFor(withRehearsal, dpo).objective())
        .isEqualTo(TrainingObjective.SFT_DPO);
    TrackSettings dpoOnly =
        settings(
            Map.of(
                TrainerConfig.OBJECTIVE_CONFIG,
                "dpo",
                TrainerConfig.REHEARSAL_FRACTION_CONFIG,
                "0"));
    TrainingSet pairsOnly =
        TrainingSet.build(
            pairs(8), dpoOnly, ReplayReservoir.open(dir, 10, 1), Rehearsal.generalSkills());
    assertThat(TrainerService.objectiveFor(pairsOnly, dpoOnly).objective())
        .isEqualTo(TrainingObjective.DPO);
  }

  @Test
  void votesAlwaysAddKtoAndAutoPicksEveryPhaseTheSetNeeds() throws Exception {
    List<PendingExample> mixed = new ArrayList<>(pairs(2));
    mixed.add(
        new PendingExample(P, 20, Curated.vote("acme", "support", "v1", "Q", "Sure.", true), 0, 0));
    mixed.add(
        new PendingExample(P, 21, Curated.vote("acme", "support", "v2", "Q", "No.", false), 0, 0));
    TrackSettings auto = settings(Map.of());
    TrainingSet set =
        TrainingSet.build(mixed, auto, ReplayReservoir.open(dir, 10, 1), Rehearsal.generalSkills());
    assertThat(set.examples())
        .filteredOn(e -> e instanceof io.sluice.model.train.TrainingExample.Binary)
        .hasSize(2);
    assertThat(TrainerService.objectiveFor(set, auto).objective())
        .isEqualTo(TrainingObjective.SFT_DPO_KTO);
    TrackSettings sft =
        settings(
            Map.of(
                TrainerConfig.OBJECTIVE_CONFIG,
                "sft",
                TrainerConfig.REHEARSAL_FRACTION_CONFIG,
                "0"));
    TrainingSet noRehearsal = TrainingSet.build(mixed, sft, ReplayReservoir.open(dir, 10, 1), null);
    // sft learns the pairs' chosen answers itself; the votes still need KTO
    assertThat(TrainerService.objectiveFor(noRehearsal, sft).objective())
        .isEqualTo(TrainingObjective.SFT_KTO);
    TrackSettings kto =
        settings(
            Map.of(
                TrainerConfig.OBJECTIVE_CONFIG,
                "kto",
                TrainerConfig.REHEARSAL_FRACTION_CONFIG,
                "0"));
    TrainingSet votesOnly =
        TrainingSet.build(mixed.subList(2, 4), kto, ReplayReservoir.open(dir, 10, 1), null);
    assertThat(TrainerService.objectiveFor(votesOnly, kto).objective())
        .isEqualTo(TrainingObjective.KTO);
    assertThat(TrainerService.objectiveFor(votesOnly, kto).kto().beta()).isEqualTo(0.1);
  }
}
