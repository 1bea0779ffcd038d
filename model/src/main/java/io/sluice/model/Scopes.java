package io.sluice.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees intermediates as soon as a block is done with them. DJL keeps every array a computation
 * creates until its scope closes, so without an inner scope one training step holds every
 * intermediate of every layer at once; autograd keeps what backward needs on its own.
 */
public final class Scopes {
  private Scopes() {}

  /** Runs {@code block} in its own scope and keeps only its result, in the enclosing scope. */
  public static NDArray keepOnly(Supplier<NDArray> block) {
    NDArray result;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      result = block.get();
      NDScope.unregister(result);
    }
    NDScope.register(result);
    return result;
  }
}
