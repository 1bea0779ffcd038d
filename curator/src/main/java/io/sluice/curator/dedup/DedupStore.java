package io.sluice.curator.dedup;

import java.util.function.BiConsumer;

/**
 * The binary key-value state the deduplicator keeps; a changelogged Kafka Streams store in the
 * topology, a sorted map in tests. The deduplicator only writes while running and reads everything
 * once, when it is created.
 */
public interface DedupStore {

  void put(byte[] key, byte[] value);

  void delete(byte[] key);

  /** Visits every entry in ascending unsigned byte order of the keys. */
  void forEach(BiConsumer<byte[], byte[]> visitor);
}
