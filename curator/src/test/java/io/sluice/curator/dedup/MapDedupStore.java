package io.sluice.curator.dedup;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A {@link DedupStore} over a sorted map, for tests and benchmarks of the deduplicator without Kafka. */
public final class MapDedupStore implements DedupStore {

  final TreeMap<String, String> map = new TreeMap<>();

  @Override
  public String get(String key) {
    return map.get(key);
  }

  @Override
  public void put(String key, String value) {
    map.put(key, value);
  }

  @Override
  public void delete(String key) {
    map.remove(key);
  }

  @Override
  public void scan(String prefix, Predicate<Map.Entry<String, String>> visitor) {
    for (Map.Entry<String, String> entry : map.subMap(prefix, prefix + Character.MAX_VALUE).entrySet()) {
      if (!visitor.test(entry)) {
        return;
      }
    }
  }
}
