package io.sluice.evaluator;

import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.RegistryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a registry entry changes; pure, so the service, the CLI and tests agree. Every change is a
 * new entry with the next version; nothing is ever deleted, and a rollback is a change like any
 * other.
 */
public final class RegistryTransitions {
  /** Earlier champions kept per track for rollback. */
  static final int HISTORY_KEPT = 20;

  private RegistryTransitions() {}

  /** {@code ref} becomes active; the previous champion goes to the head of the history. */
  public static RegistryEntry promote(
      RegistryEntry current,
      String tenant,
      String track,
      AdapterRef ref,
      String reason,
      String actor,
      Instant at) {
    List<AdapterRef> history = new ArrayList<>();
    AdapterRef previous = current == null ? null : current.getActive();
    if (previous != null) {
      history.add(previous);
    }
    if (current != null) {
      history.addAll(current.getHistory());
    }
    return RegistryEntry.newBuilder()
        .setTenant(tenant)
        .setTrack(track)
        .setVersion(current == null ? 1 : current.getVersion() + 1)
        .setActive(ref)
        .setHistory(history.subList(0, Math.min(history.size(), HISTORY_KEPT)))
        .setUpdatedAt(at)
        .setPreviousCandidateId(previous == null ? null : previous.getCandidateId())
        .setReason(reason)
        .setActor(actor)
        .setDecisionId(ref.getDecisionId())
        .build();
  }

  /**
   * The previous champion becomes active again (the bare base when there was none); the one rolled
   * back is dropped from the line of succession.
   *
   * @throws IllegalStateException when the track has no champion to roll back
   */
  public static RegistryEntry rollback(
      RegistryEntry current, String decisionId, String reason, String actor, Instant at) {
    if (current == null || current.getActive() == null) {
      throw new IllegalStateException(
          "the track has no champion to roll back"
              + (current == null
                  ? ""
                  : " (it serves the bare base since version " + current.getVersion() + ")"));
    }
    List<AdapterRef> history = new ArrayList<>(current.getHistory());
    AdapterRef restored = history.isEmpty() ? null : history.remove(0);
    return RegistryEntry.newBuilder(current)
        .setVersion(current.getVersion() + 1)
        .setActive(restored)
        .setHistory(history)
        .setUpdatedAt(at)
        .setPreviousCandidateId(current.getActive().getCandidateId())
        .setReason(reason)
        .setActor(actor)
        .setDecisionId(decisionId)
        .build();
  }
}
