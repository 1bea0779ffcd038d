package io.sluice.trainer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * The untrained windows of every track this instance owns, in arrival order, and what they imply
 * for committing: an offset is committed only once nothing before it on that partition still waits
 * in some track's window, so a restart never skips an untrained example.
 */
final class TrackWindows {
  private final Map<String, List<PendingExample>> windows = new LinkedHashMap<>();
  private final Map<String, Long> lastTrainedAtMs = new HashMap<>();
  private final Map<String, Long> notBeforeMs = new HashMap<>();

  void add(PendingExample example) {
    windows.computeIfAbsent(example.trackKey(), k -> new ArrayList<>()).add(example);
  }

  int pending(String trackKey) {
    return windows.getOrDefault(trackKey, List.of()).size();
  }

  Set<String> tracks() {
    return windows.keySet();
  }

  /**
   * The first window due for training, if any: {@code minExamples} examples (exactly that many, so
   * a window's content depends only on the stream), or after {@code maxWait} at least {@code
   * minExamplesOnTimeout}, and never sooner than {@code minInterval} after the track's previous run
   * or before a failed window's backoff has passed.
   */
  Optional<List<PendingExample>> due(long nowMs, Function<String, TrackSettings> settings) {
    for (Map.Entry<String, List<PendingExample>> entry : windows.entrySet()) {
      String track = entry.getKey();
      List<PendingExample> examples = entry.getValue();
      if (examples.isEmpty() || nowMs < notBeforeMs.getOrDefault(track, 0L)) {
        continue;
      }
      TrackSettings s = settings.apply(track);
      Long last = lastTrainedAtMs.get(track);
      if (last != null && nowMs - last < s.minIntervalMs()) {
        continue;
      }
      if (examples.size() >= s.minExamples()) {
        return Optional.of(List.copyOf(examples.subList(0, s.minExamples())));
      }
      boolean waited = nowMs - examples.get(0).arrivedAtMs() >= s.maxWaitMs();
      if (waited && examples.size() >= s.minExamplesOnTimeout()) {
        return Optional.of(List.copyOf(examples));
      }
    }
    return Optional.empty();
  }

  /** The window's examples leave the track's pending list (trained, or rejected for good). */
  void remove(String trackKey, Collection<PendingExample> done, long nowMs) {
    List<PendingExample> examples = windows.get(trackKey);
    if (examples != null) {
      examples.removeAll(done);
      if (examples.isEmpty()) {
        windows.remove(trackKey);
      }
    }
    lastTrainedAtMs.put(trackKey, nowMs);
    notBeforeMs.remove(trackKey);
  }

  /** A failed window waits before its next attempt. */
  void backOff(String trackKey, long untilMs) {
    notBeforeMs.put(trackKey, untilMs);
  }

  /** Partitions lost in a rebalance: their examples are the new owner's now. */
  void drop(Collection<TopicPartition> partitions) {
    windows.values().forEach(list -> list.removeIf(e -> partitions.contains(e.partition())));
    windows.values().removeIf(List::isEmpty);
  }

  /**
   * The offset to commit per partition: the consumer's position, held back to the earliest example
   * still pending on that partition.
   */
  Map<TopicPartition, Long> committable(Map<TopicPartition, Long> positions) {
    Map<TopicPartition, Long> out = new HashMap<>(positions);
    for (List<PendingExample> examples : windows.values()) {
      for (PendingExample e : examples) {
        out.computeIfPresent(e.partition(), (p, position) -> Math.min(position, e.offset()));
      }
    }
    return out;
  }
}
