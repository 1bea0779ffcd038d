package io.sluice.trainer;

import io.sluice.model.train.TrainOptions;

/**
 * Everything that may differ between tracks: when a window is trained and how. Teams tune lanes
 * differently, so each of these has a per-track override ({@code trainer.tracks."tenant/track".*}).
 *
 * @param minExamples a window is trained once it holds this many new examples, and holds at most
 *     this many: a window's content then depends only on the stream, so a restarted trainer
 *     rebuilds the same window under the same adapter id
 * @param maxWaitMs after this long since its first example, a window holding {@code
 *     minExamplesOnTimeout} examples is trained anyway
 * @param minIntervalMs a track is never trained more often than this
 * @param replayFraction share of the training set drawn from the track's replay reservoir
 * @param rehearsalFraction share of the training set that is general-skills data; 0 disables it
 * @param initFromChampion continue from the track's current champion instead of a fresh adapter
 */
public record TrackSettings(
    int minExamples,
    long maxWaitMs,
    int minExamplesOnTimeout,
    long minIntervalMs,
    double replayFraction,
    double rehearsalFraction,
    boolean initFromChampion,
    TrainOptions training) {

  public TrackSettings {
    if (replayFraction + rehearsalFraction >= 1) {
      throw new IllegalArgumentException(
          "trainer.replay.fraction ("
              + replayFraction
              + ") + trainer.rehearsal.fraction ("
              + rehearsalFraction
              + ") must stay below 1, or no room is left for the window itself");
    }
  }

  /** How many replay and rehearsal items go with a window of {@code windowSize} examples. */
  public Mix mix(int windowSize) {
    double windowShare = 1 - replayFraction - rehearsalFraction;
    double total = windowSize / windowShare;
    return new Mix(
        (int) Math.round(total * replayFraction), (int) Math.round(total * rehearsalFraction));
  }

  /** Wanted counts; replay is further limited by what the reservoir holds. */
  public record Mix(int replay, int rehearsal) {}
}
