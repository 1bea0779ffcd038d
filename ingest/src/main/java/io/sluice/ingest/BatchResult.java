package io.sluice.ingest;

import io.sluice.schemas.avro.RawEvent;
import java.util.List;

/** The outcome of reading a whole batch body: every event, or every finding and nothing else. */
public sealed interface BatchResult {

  /**
   * Every line is a valid event.
   *
   * @param events the events, in body order
   * @param lines the 1-based line number of each event
   */
  record Accepted(List<RawEvent> events, List<Integer> lines) implements BatchResult {
    public Accepted {
      events = List.copyOf(events);
      lines = List.copyOf(lines);
    }
  }

  /**
   * At least one line is bad: nothing of the batch may be written.
   *
   * @param kind the most severe kind among the findings (413, then 400, then 422)
   * @param detail one sentence for the problem's detail
   * @param errors findings with line numbers, at most {@link BatchParser#MAX_REPORTED_ERRORS}
   * @param events events (non-blank lines) read before refusing
   */
  record Refused(Problem.Kind kind, String detail, List<Problem.Error> errors, int events)
      implements BatchResult {
    public Refused {
      errors = List.copyOf(errors);
    }
  }
}
