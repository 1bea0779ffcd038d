package io.sluice.curator.dedup;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A multimap from long keys to long values for the in-memory dedup indexes, about 30 bytes per pair
 * (a {@code HashMap<Long, List<Long>>} costs roughly five times as much). Distinct keys live in an
 * open-addressing table (linear probing, backward-shift removal, so no tombstones); each key's
 * values form a linked chain in a shared pool, newest first, so a hot key (many records sharing one
 * LSH band) costs a chain walk, never a long probe. Not thread-safe: each stream task owns its own.
 */
final class LongMultiMap {

  private static final double MAX_LOAD = 0.6;
  private static final int EMPTY = -1;

  /**
   * Slot s holds its key at {@code 2s} and the first pool node of its chain at {@code 2s + 1}
   * ({@link #EMPTY} for a free slot): key and head share a cache line, so a lookup in a table of
   * millions of band keys costs one cache miss rather than two.
   */
  private long[] table;

  private int capacity;
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
    if (distinctKeys + 1 > capacity * MAX_LOAD) {
      rehash(capacity * 2);
    }
    int slot = find(key);
    if (head(slot) == EMPTY) {
      table[2 * slot] = key;
      distinctKeys++;
    }
    int node = newNode(value, head(slot));
    table[2 * slot + 1] = node;
    size++;
  }

  /** Visits the values of {@code key}, newest first, until {@code visitor} returns false. */
  void forEach(long key, LongPredicate visitor) {
    int slot = find(key);
    for (int node = head(slot); node != EMPTY; node = poolNext[node]) {
      if (!visitor.test(poolValues[node])) {
        return;
      }
    }
  }

  /** Removes one pair {@code (key, value)}; returns whether it was present. */
  boolean remove(long key, long value) {
    int slot = find(key);
    int previous = EMPTY;
    for (int node = head(slot); node != EMPTY; previous = node, node = poolNext[node]) {
      if (poolValues[node] == value) {
        if (previous == EMPTY) {
          table[2 * slot + 1] = poolNext[node];
        } else {
          poolNext[previous] = poolNext[node];
        }
        poolNext[node] = freeNode;
        freeNode = node;
        size--;
        if (head(slot) == EMPTY) {
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
    int mask = capacity - 1;
    int slot = home(key);
    while (head(slot) != EMPTY && table[2 * slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private int head(int slot) {
    return (int) table[2 * slot + 1];
  }

  /** Backward-shift deletion: moves later keys of the probe run into the hole at {@code hole}. */
  private void shiftBack(int hole) {
    int mask = capacity - 1;
    int next = (hole + 1) & mask;
    while (head(next) != EMPTY) {
      int home = home(table[2 * next]);
      // The key at next may move to hole only if hole lies cyclically within [home, next).
      boolean movable =
          hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
      if (movable) {
        table[2 * hole] = table[2 * next];
        table[2 * hole + 1] = table[2 * next + 1];
        table[2 * next + 1] = EMPTY;
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
    return (int) (h >>> 32) & (capacity - 1);
  }

  private void rehash(int newCapacity) {
    long[] old = table;
    allocate(newCapacity);
    for (int i = 0; i < old.length; i += 2) {
      if ((int) old[i + 1] != EMPTY) {
        int slot = find(old[i]);
        table[2 * slot] = old[i];
        table[2 * slot + 1] = old[i + 1];
      }
    }
  }

  private void allocate(int newCapacity) {
    capacity = newCapacity;
    table = new long[2 * newCapacity];
    for (int slot = 0; slot < newCapacity; slot++) {
      table[2 * slot + 1] = EMPTY;
    }
  }
}
