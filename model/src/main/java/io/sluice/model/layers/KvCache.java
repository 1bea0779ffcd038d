package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the tokens seen so far, so each generated token costs one
 * position of attention instead of a full recomputation.
 *
 * <p>The cached arrays are taken out of the surrounding {@link NDScope}: generation opens one scope
 * per token, and the cache must outlive them all until {@link #close()}.
 */
public final class KvCache implements AutoCloseable {
  private final NDArray[] keys; // per layer (B, nKv, S, d)
  private final NDArray[] values; // per layer (B, nKv, S, d)
  private int length;

  public KvCache(int layers) {
    keys = new NDArray[layers];
    values = new NDArray[layers];
  }

  /** Tokens already cached; the next forward pass starts at this position. */
  public int length() {
    return length;
  }

  /**
   * Appends (B, nKv, T, d) keys/values for {@code layer}; returns the full (B, nKv, S+T, d) pair.
   */
  NDList append(int layer, NDArray k, NDArray v) {
    NDArray newK =
        keys[layer] == null ? k.duplicate() : NDArrays.concat(new NDList(keys[layer], k), 2);
    NDArray newV =
        values[layer] == null ? v.duplicate() : NDArrays.concat(new NDList(values[layer], v), 2);
    NDScope.unregister(newK, newV);
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = newK;
    values[layer] = newV;
    if (layer == keys.length - 1) {
      length = Math.toIntExact(newK.getShape().get(2));
    }
    return new NDList(newK, newV);
  }

  @Override
  public void close() {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        keys[i].close();
        values[i].close();
        keys[i] = null;
        values[i] = null;
      }
    }
    length = 0;
  }
}
