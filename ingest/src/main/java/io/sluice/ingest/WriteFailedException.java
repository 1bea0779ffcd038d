package io.sluice.ingest;

/**
 * A write that was not committed: nothing of it is visible to read_committed consumers. {@code
 * brokerUnavailable} tells a transient broker problem (answer 503, the client retries) from a
 * server fault such as a broker limit below the ingest limits (answer 500).
 */
public final class WriteFailedException extends Exception {

  private final boolean brokerUnavailable;

  WriteFailedException(String message, boolean brokerUnavailable, Throwable cause) {
    super(message, cause);
    this.brokerUnavailable = brokerUnavailable;
  }

  public boolean brokerUnavailable() {
    return brokerUnavailable;
  }
}
