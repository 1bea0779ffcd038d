package io.sluice.curator.split;

import io.sluice.schemas.avro.Split;

/**
 * Stage 6: a deterministic, content-based train/holdout split. The side depends only on the track
 * and the record's {@link SplitContent}, so the same example lands on the same side in every
 * replay, on every instance, and in offline runs, and the records one event yields land together;
 * salting with the track keeps one track's split independent of another's.
 */
public final class HoldoutSplitter {

  private final double holdoutFraction;

  /**
   * @param holdoutFraction share of records held out, within [0, 1]
   */
  public HoldoutSplitter(double holdoutFraction) {
    if (!(holdoutFraction >= 0 && holdoutFraction <= 1)) {
      throw new IllegalArgumentException(
          "holdout fraction must be within [0, 1] but was " + holdoutFraction);
    }
    this.holdoutFraction = holdoutFraction;
  }

  /** The side of a record of {@code trackKey} whose split content is {@code content}. */
  public Split split(String trackKey, String content) {
    return position(trackKey, content) < holdoutFraction ? Split.HOLDOUT : Split.TRAIN;
  }

  /** A uniform value in [0, 1) derived from the track and content. */
  static double position(String trackKey, String content) {
    long hash = 0xcbf29ce484222325L;
    String key = trackKey + "\u0000" + content;
    for (int i = 0; i < key.length(); i++) {
      hash = (hash ^ key.charAt(i)) * 0x100000001b3L;
    }
    hash = (hash ^ (hash >>> 33)) * 0xff51afd7ed558ccdL;
    hash = (hash ^ (hash >>> 33)) * 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return (hash >>> 11) * 0x1.0p-53;
  }
}
