package io.sluice.model.io;

/** A checkpoint, adapter, config or tokenizer file that cannot be used as it is. */
public class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
