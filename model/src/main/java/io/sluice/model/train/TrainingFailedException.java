package io.sluice.model.train;

/** A training run that must not produce an adapter, with a reason a service can count. */
public final class TrainingFailedException extends RuntimeException {

  /** Why a run failed; the trainer service reports these as metric labels. */
  public enum Reason {
    NON_FINITE_LOSS,
    /** The base or the adapter to continue from could not be read. */
    CORRUPT_MODEL,
    OUT_OF_MEMORY,
    BAD_INPUT,
    ENGINE_ERROR
  }

  private final Reason reason;

  public TrainingFailedException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public TrainingFailedException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
