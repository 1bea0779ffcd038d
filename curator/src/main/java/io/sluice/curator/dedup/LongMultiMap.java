package io.sluice.curator.dedup;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A multimap from long keys to long values for the in-memory dedup indexes, about 25 bytes per
 * pair (a {@code HashMap<Long, List<Long>>} costs roughly five times as much). Distinct keys live
 * in an open-addressing table (linear probing, backward-shift removal, so no tombstones); each
 * key's values form a linked chain in a shared pool, newest first, so a hot key (many records
 * sharing one LSH band) costs a chain walk, never a long probe. Not thread-safe: each stream task
 * owns its own.
 */
final class LongMultiMap {

  private static final double MAX_LOAD = 0.6;
  private static final int EMPTY = -1;

  private long[] keys;
  /** First pool node of each slot's chain, or {@link #EMPTY} for a free slot. */
  private int[] heads;
  private int distinctKeys;

  private long[] poolValues = new long[16];
  private int[] poolNext = new int[16];
  private int poolUsed;
  private int freeNode = EMPTY;
  private int size;

  LongMultiMap() {
    allocate(16);
  }

  /** Number of (key, value) pairs. */
  int size() {
    return size;
  }

  void put(long key, long value) {
    if (distinctKeys + 1 > keys.length * MAX_LOAD) {
      rehash(keys.length * 2);
    }
    int slot = find(key);
    if (heads[slot] == EMPTY) {
      keys[slot] = key;
      distinctKeys++;
    }
    int node = newNode(value, heads[slot]);
    heads[slot] = node;
    size++;
  }

  /** Visits the values of {@code key}, newest first, until {@code visitor} returns false. */
  void forEach(long key, LongPredicate visitor) {
    int slot = find(key);
    for (int node = heads[slot]; node != EMPTY; node = poolNext[node]) {
      if (!visitor.test(poolValues[node])) {
        return;
      }
    }
  }

  /** Removes one pair {@code (key, value)}; returns whether it was present. */
  boolean remove(long key, long value) {
    int slot = find(key);
    int previous = EMPTY;
    for (int node = heads[slot]; node != EMPTY; previous = node, node = poolNext[node]) {
      if (poolValues[node] == value) {
        if (previous == EMPTY) {
          heads[slot] = poolNext[node];
        } else {
          poolNext[previous] = poolNext[node];
        }
        poolNext[node] = freeNode;
        freeNode = node;
        size--;
        if (heads[slot] == EMPTY) {
          distinctKeys--;
          shiftBack(slot);
        }
        return true;
      }
    }
    return false;
  }

  /** The slot holding {@code key}, or the free slot where it would go. */
  private int find(long key) {
    int mask = keys.length - 1;
    int slot = home(key);
    while (heads[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Backward-shift deletion: moves later keys of the probe run into the hole at {@code hole}. */
  private void shiftBack(int hole) {
    int mask = keys.length - 1;
    int next = (hole + 1) & mask;
    while (heads[next] != EMPTY) {
      int home = home(keys[next]);
      // The key at next may move to hole only if hole lies cyclically within [home, next).
      boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
      if (movable) {
        keys[hole] = keys[next];
        heads[hole] = heads[next];
        heads[next] = EMPTY;
        hole = next;
      }
      next = (next + 1) & mask;
    }
  }

  private int newNode(long value, int next) {
    int node;
    if (freeNode != EMPTY) {
      node = freeNode;
      freeNode = poolNext[node];
    } else {
      if (poolUsed == poolValues.length) {
        poolValues = Arrays.copyOf(poolValues, poolUsed * 2);
        poolNext = Arrays.copyOf(poolNext, poolUsed * 2);
      }
      node = poolUsed++;
    }
    poolValues[node] = value;
    poolNext[node] = next;
    return node;
  }

  private int home(long key) {
    long h = key * 0x9e3779b97f4a7c15L;
    return (int) (h >>> 32) & (keys.length - 1);
  }

  private void rehash(int capacity) {
    long[] oldKeys = keys;
    int[] oldHeads = heads;
    allocate(capacity);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] != EMPTY) {
        int slot = find(oldKeys[i]);
        keys[slot] = oldKeys[i];
        heads[slot] = oldHeads[i];
      }
    }
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    heads = new int[capacity];
    Arrays.fill(heads, EMPTY);
  }
}
