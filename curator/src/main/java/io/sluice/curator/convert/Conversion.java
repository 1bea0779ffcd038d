package io.sluice.curator.convert;

import io.sluice.schemas.RejectionReason;
import java.util.List;
import java.util.Objects;

/**
 * What one raw event turns into: training candidates, or none with a reason code saying why (a
 * neutral rating is not an error, but is recorded the same way so it stays auditable).
 */
public record Conversion(List<Candidate> candidates, RejectionReason reason, String detail) {

  public Conversion {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty() == (reason == null)) {
      throw new IllegalArgumentException("a conversion has either candidates or a reason");
    }
  }

  static Conversion of(List<Candidate> candidates) {
    return new Conversion(candidates, null, null);
  }

  static Conversion none(RejectionReason reason, String detail) {
    return new Conversion(
        List.of(), Objects.requireNonNull(reason), Objects.requireNonNull(detail));
  }

  public boolean isTrainingData() {
    return !candidates.isEmpty();
  }
}
