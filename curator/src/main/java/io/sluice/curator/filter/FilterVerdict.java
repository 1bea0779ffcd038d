package io.sluice.curator.filter;

import io.sluice.schemas.RejectionReason;
import java.util.Objects;

/** Why the quality filter refused a candidate: a reason code and a human-readable detail. */
public record FilterVerdict(RejectionReason reason, String detail) {

  public FilterVerdict {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
