package io.sluice.model;

/**
 * A token sequence whose loss covers only {@code ids[completionStart..]}, the assistant's answer.
 */
public record TokenizedExample(long[] ids, int completionStart) {
  public TokenizedExample {
    if (completionStart < 1 || completionStart >= ids.length) {
      throw new IllegalArgumentException(
          "completionStart " + completionStart + " must lie in [1, " + ids.length + ") for a prompt and a non-empty answer");
    }
  }

  public int length() {
    return ids.length;
  }
}
