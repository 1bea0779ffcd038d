package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.Split;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TrackWindowsTest {
  private static final TopicPartition P0 = new TopicPartition("sluice.examples.curated", 0);
  private final TrainerConfig config =
      TrainerConfig.load(
          Optional.empty(),
          Map.of(),
          Map.of(
              TrainerConfig.WINDOW_MIN_EXAMPLES_CONFIG,
              "3",
              TrainerConfig.WINDOW_MIN_EXAMPLES_ON_TIMEOUT_CONFIG,
              "2",
              TrainerConfig.WINDOW_MAX_WAIT_CONFIG,
              "1000",
              TrainerConfig.MIN_INTERVAL_CONFIG,
              "5000"));

  private static PendingExample example(String track, long offset, long arrivedAt) {
    return new PendingExample(
        P0,
        offset,
        Curated.sft("acme", track, track + offset, "q", "a", Split.TRAIN),
        0,
        arrivedAt);
  }

  @Test
  void aFullWindowTakesExactlyMinExamplesInOrder() {
    TrackWindows windows = new TrackWindows();
    for (long o = 0; o < 5; o++) {
      windows.add(example("support", o, 0));
    }
    List<PendingExample> due = windows.due(10, config::track).orElseThrow();
    assertThat(due).extracting(PendingExample::offset).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aSmallWindowWaitsForTheTimeoutAndItsMinimum() {
    TrackWindows windows = new TrackWindows();
    windows.add(example("support", 0, 0));
    assertThat(windows.due(5000, config::track)).isEmpty(); // waited, but below the timeout minimum
    windows.add(example("support", 1, 100));
    assertThat(windows.due(999, config::track)).isEmpty();
    assertThat(windows.due(1000, config::track)).hasValueSatisfying(w -> assertThat(w).hasSize(2));
  }

  @Test
  void minIntervalAndBackoffHoldATrackBack() {
    TrackWindows windows = new TrackWindows();
    for (long o = 0; o < 6; o++) {
      windows.add(example("support", o, 0));
    }
    List<PendingExample> first = windows.due(0, config::track).orElseThrow();
    windows.remove("acme/support", first, 0);
    assertThat(windows.due(4999, config::track)).isEmpty();
    assertThat(windows.due(5000, config::track)).isPresent();
    windows.backOff("acme/support", 9000);
    assertThat(windows.due(8999, config::track)).isEmpty();
    assertThat(windows.due(9000, config::track)).isPresent();
  }

  @Test
  void offsetsAreHeldBackByAnotherTracksOpenWindow() {
    TrackWindows windows = new TrackWindows();
    windows.add(example("support", 10, 0));
    windows.add(example("billing", 11, 0));
    windows.add(example("support", 12, 0));
    windows.add(example("support", 13, 0));
    List<PendingExample> support = windows.due(0, config::track).orElseThrow();
    windows.remove("acme/support", support, 0);
    // billing's example at 11 is untrained: the commit must not pass it
    assertThat(windows.committable(Map.of(P0, 14L))).containsEntry(P0, 11L);
    windows.drop(List.of(P0));
    assertThat(windows.committable(Map.of(P0, 14L))).containsEntry(P0, 14L);
  }
}
