package io.sluice.schemas.event;

/** Bytes that are not one well-formed JSON value: the caller answers 400, not 422. */
public final class MalformedJsonException extends Exception {

  /** What is wrong with the bytes. */
  public enum Kind {
    /** Not valid UTF-8. */
    ENCODING,
    /** Not JSON, more than one value, or a duplicated object key. */
    SYNTAX,
    /** Arrays and objects nested deeper than the limit. */
    DEPTH
  }

  private final Kind kind;

  MalformedJsonException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
