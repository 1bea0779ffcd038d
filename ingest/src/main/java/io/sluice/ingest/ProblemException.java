package io.sluice.ingest;

/** Ends a request with a problem response; thrown by handlers, rendered in one place. */
final class ProblemException extends RuntimeException {

  private final Problem problem;
  private final Problem.Kind kind;
  private final int events;

  /**
   * @param events how many events the refused request carried, for the rejected-events metric
   */
  ProblemException(Problem.Kind kind, Problem problem, int events) {
    super(problem.detail(), null, false, false);
    this.kind = kind;
    this.problem = problem;
    this.events = events;
  }

  ProblemException(Problem.Kind kind, String detail) {
    this(kind, Problem.of(kind, detail), 1);
  }

  int events() {
    return events;
  }

  Problem problem() {
    return problem;
  }

  Problem.Kind kind() {
    return kind;
  }
}
