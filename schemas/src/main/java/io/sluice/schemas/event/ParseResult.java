package io.sluice.schemas.event;

import io.sluice.schemas.avro.RawEvent;
import java.util.List;
import java.util.Objects;

/** The outcome of reading one native event: the accepted record, or every reason it was refused. */
public sealed interface ParseResult {

  /** The event is valid; server defaults have been filled in. */
  record Valid(RawEvent event) implements ParseResult {
    public Valid {
      Objects.requireNonNull(event, "event");
    }
  }

  /** The event is refused; {@code violations} is never empty. */
  record Invalid(List<Violation> violations) implements ParseResult {
    public Invalid {
      violations = List.copyOf(violations);
      if (violations.isEmpty()) {
        throw new IllegalArgumentException("an invalid event needs at least one violation");
      }
    }
  }
}
