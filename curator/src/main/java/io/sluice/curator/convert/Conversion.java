package io.sluice.curator.convert;

import java.util.List;
import java.util.Objects;

/**
 * What one raw event turns into: training candidates, or none with a reason code saying why (a
 * neutral rating is not an error, but is recorded the same way so it stays auditable).
 */
public record Conversion(List<Candidate> candidates, String reason, String detail) {

  /** Rating 3 (or no rating) without a correction: says nothing about the response's quality. */
  public static final String NEUTRAL_FEEDBACK = "NEUTRAL_FEEDBACK";

  public Conversion {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty() == (reason == null)) {
      throw new IllegalArgumentException("a conversion has either candidates or a reason");
    }
  }

  static Conversion of(List<Candidate> candidates) {
    return new Conversion(candidates, null, null);
  }

  static Conversion none(String reason, String detail) {
    return new Conversion(List.of(), Objects.requireNonNull(reason), Objects.requireNonNull(detail));
  }

  public boolean isTrainingData() {
    return !candidates.isEmpty();
  }
}
