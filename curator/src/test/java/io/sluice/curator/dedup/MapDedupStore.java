package io.sluice.curator.dedup;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A {@link DedupStore} over a sorted map, for tests and benchmarks of the deduplicator without
 * Kafka.
 */
public final class MapDedupStore implements DedupStore {

  final TreeMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);

  @Override
  public void put(byte[] key, byte[] value) {
    map.put(key, value);
  }

  @Override
  public void delete(byte[] key) {
    map.remove(key);
  }

  @Override
  public void forEach(BiConsumer<byte[], byte[]> visitor) {
    map.forEach(visitor);
  }
}
