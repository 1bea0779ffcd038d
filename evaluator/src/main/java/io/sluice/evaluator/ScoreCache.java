package io.sluice.evaluator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Least-recently-used results of scoring runs, keyed by what determines them (model, adapter,
 * items).
 */
final class ScoreCache {
  private final Map<String, Object> entries;

  ScoreCache(int capacity) {
    entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void put(String key, Object value) {
    entries.put(key, value);
  }

  @SuppressWarnings("unchecked")
  synchronized <T> T get(String key, Supplier<T> compute) {
    Object hit = entries.get(key);
    if (hit != null) {
      return (T) hit;
    }
    T value = compute.get();
    entries.put(key, value);
    return value;
  }
}
