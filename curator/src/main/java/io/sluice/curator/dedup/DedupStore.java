package io.sluice.curator.dedup;

import java.util.Map;
import java.util.function.Predicate;

/**
 * The ordered string key-value state the deduplicator keeps; a Kafka Streams store in the
 * topology, a sorted map in tests. Keys are compared as UTF-8 bytes, which for the ASCII keys used
 * here is plain string order.
 */
public interface DedupStore {

  String get(String key);

  void put(String key, String value);

  void delete(String key);

  /**
   * Visits entries whose key starts with {@code prefix} in ascending key order until {@code
   * visitor} returns false. The visitor must not modify the store.
   */
  void scan(String prefix, Predicate<Map.Entry<String, String>> visitor);
}
