package io.sluice.model.io;

import java.util.Arrays;

/**
 * A token sequence with the positions the loss covers: {@code trained[i]} is true when token {@code
 * i} is a target (an assistant answer's token or stop). Single-answer examples train on {@code
 * ids[completionStart..]}; a multi-turn conversation also on earlier trained turns.
 *
 * @param completionStart the first trained position; everything before it is context
 */
public record TokenizedExample(long[] ids, int completionStart, boolean[] trained) {
  public TokenizedExample {
    if (trained.length != ids.length) {
      throw new IllegalArgumentException(
          "trained has " + trained.length + " flags for " + ids.length + " tokens");
    }
    if (completionStart < 1 || completionStart >= ids.length) {
      throw new IllegalArgumentException(
          "completionStart "
              + completionStart
              + " must lie in [1, "
              + ids.length
              + ") for a prompt and a non-empty answer");
    }
    for (int i = 0; i < completionStart; i++) {
      if (trained[i]) {
        throw new IllegalArgumentException(
            "position " + i + " is trained but lies before completionStart " + completionStart);
      }
    }
    if (!trained[completionStart]) {
      throw new IllegalArgumentException(
          "completionStart " + completionStart + " is not a trained position");
    }
  }

  /** Trains on every token from {@code completionStart} on. */
  public TokenizedExample(long[] ids, int completionStart) {
    this(ids, completionStart, fromPosition(ids.length, completionStart));
  }

  /** A sequence trained where {@code trained} says; completionStart is its first trained token. */
  public static TokenizedExample masked(long[] ids, boolean[] trained) {
    int first = 0;
    while (first < trained.length && !trained[first]) {
      first++;
    }
    return new TokenizedExample(ids, first, trained);
  }

  private static boolean[] fromPosition(int length, int start) {
    boolean[] trained = new boolean[length];
    if (start >= 0 && start < length) {
      Arrays.fill(trained, start, length, true);
    }
    return trained;
  }

  public int length() {
    return ids.length;
  }

  /** Number of trained tokens. */
  public int targetCount() {
    int count = 0;
    for (boolean t : trained) {
      count += t ? 1 : 0;
    }
    return count;
  }

  /** The tokens {@code [from, to)} with their flags. */
  public TokenizedExample slice(int from, int to) {
    return masked(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(trained, from, to));
  }
}
