package io.sluice.curator.dedup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Stage 5: exact and near-duplicate detection per scope (tenant/track/kind), over a {@link
 * DedupStore}. The store holds, per scope:
 *
 * <pre>
 * e|scope|ref            -> hash TAB signature TAB id   one entry per remembered record
 * x|scope|hash           -> ref                          exact index
 * b|scope|band|bandKey   -> ref ref ...                  LSH buckets
 * s|scope                -> count nextSeq                size and sequence of the scope
 * </pre>
 *
 * A ref is {@code eventTimeHex:seqHex}, so entries sort oldest first and eviction (retention or
 * the per-scope cap) is a scan from the head. Every insert is followed by eviction, so a scope
 * never holds more than {@link DedupConfig#maxEntriesPerScope()} entries. Results depend only on
 * the order of calls, never on wall-clock time, so replays decide the same way.
 */
public final class Deduplicator {

  /** Most expired entries removed per admitted record, so one call never stalls on a huge backlog. */
  private static final int PURGE_BATCH = 64;

  private final DedupConfig config;
  private final DedupStore store;
  private final MinHasher hasher;

  public Deduplicator(DedupConfig config, DedupStore store) {
    this.config = config;
    this.store = store;
    this.hasher = new MinHasher(config.shingleWords(), config.hashes(), config.bands());
  }

  /**
   * Checks a record against its scope and remembers it when it is new.
   *
   * @param scope tenant/track/kind
   * @param id the record's id, reported as {@code duplicateOf} to later copies
   * @param contentHash hash of the full normalized content (exact duplicates)
   * @param nearText normalized text compared by MinHash (near duplicates)
   * @param eventTime the record's event time, which drives retention
   * @return the record it duplicates, or empty when it was new (and is now remembered)
   */
  public Optional<Duplicate> admit(
      String scope, String id, String contentHash, String nearText, long eventTime) {
    long cutoff = eventTime - config.retentionMs();
    Optional<Duplicate> exact = exactMatch(scope, contentHash, cutoff);
    if (exact.isPresent()) {
      return exact;
    }
    int[] signature = nearText.isEmpty() ? null : hasher.signature(nearText);
    if (signature != null) {
      Optional<Duplicate> near = nearMatch(scope, signature, cutoff);
      if (near.isPresent()) {
        return near;
      }
    }
    remember(scope, id, contentHash, signature, eventTime);
    evictExpired(scope, cutoff, PURGE_BATCH);
    evictOverCap(scope);
    return Optional.empty();
  }

  /** Removes entries older than {@code now - retention} in every scope; returns how many. */
  public int purgeExpired(long now) {
    List<String> scopes = new ArrayList<>();
    store.scan("s|", entry -> scopes.add(entry.getKey().substring(2)));
    int removed = 0;
    for (String scope : scopes) {
      removed += evictExpired(scope, now - config.retentionMs(), Integer.MAX_VALUE);
    }
    return removed;
  }

  /** Number of records remembered for {@code scope}. */
  public long size(String scope) {
    return scopeState(scope)[0];
  }

  private Optional<Duplicate> exactMatch(String scope, String contentHash, long cutoff) {
    String ref = store.get(exactKey(scope, contentHash));
    if (ref == null) {
      return Optional.empty();
    }
    Entry entry = entry(scope, ref);
    if (isExpired(ref, cutoff)) {
      forget(scope, ref, entry);
      return Optional.empty();
    }
    return Optional.of(new Duplicate(entry.id(), true, 1.0));
  }

  private Optional<Duplicate> nearMatch(String scope, int[] signature, long cutoff) {
    long[] bandKeys = hasher.bandKeys(signature);
    Set<String> candidates = new LinkedHashSet<>();
    for (int band = 0; band < bandKeys.length; band++) {
      String bucket = store.get(bucketKey(scope, band, bandKeys[band]));
      if (bucket != null) {
        candidates.addAll(List.of(bucket.split(" ")));
      }
    }
    List<String> expired = new ArrayList<>();
    Duplicate best = null;
    for (String ref : candidates) {
      if (isExpired(ref, cutoff)) {
        expired.add(ref);
        continue;
      }
      Entry entry = entry(scope, ref);
      double similarity = MinHasher.similarity(signature, entry.signature());
      if (similarity >= config.threshold() && (best == null || similarity > best.similarity())) {
        best = new Duplicate(entry.id(), false, similarity);
      }
    }
    for (String ref : expired) {
      forget(scope, ref, entry(scope, ref));
    }
    return Optional.ofNullable(best);
  }

  private void remember(String scope, String id, String contentHash, int[] signature, long eventTime) {
    long[] state = scopeState(scope);
    String ref = String.format("%016x:%016x", Math.max(0, eventTime), state[1]);
    store.put(entryKey(scope, ref), contentHash + "\t" + encode(signature) + "\t" + id);
    store.put(exactKey(scope, contentHash), ref);
    if (signature != null) {
      long[] bandKeys = hasher.bandKeys(signature);
      for (int band = 0; band < bandKeys.length; band++) {
        String key = bucketKey(scope, band, bandKeys[band]);
        String bucket = store.get(key);
        store.put(key, bucket == null ? ref : bucket + " " + ref);
      }
    }
    putScopeState(scope, state[0] + 1, state[1] + 1);
  }

  private int evictExpired(String scope, long cutoff, int limit) {
    List<String> refs = oldestRefs(scope, limit, ref -> isExpired(ref, cutoff));
    for (String ref : refs) {
      forget(scope, ref, entry(scope, ref));
    }
    return refs.size();
  }

  private void evictOverCap(String scope) {
    long excess = scopeState(scope)[0] - config.maxEntriesPerScope();
    if (excess > 0) {
      for (String ref : oldestRefs(scope, (int) excess, ref -> true)) {
        forget(scope, ref, entry(scope, ref));
      }
    }
  }

  /** Up to {@code limit} refs from the oldest, stopping at the first that fails {@code take}. */
  private List<String> oldestRefs(String scope, int limit, Predicate<String> take) {
    List<String> refs = new ArrayList<>();
    String prefix = "e|" + scope + "|";
    store.scan(
        prefix,
        entry -> {
          String ref = entry.getKey().substring(prefix.length());
          if (refs.size() >= limit || !take.test(ref)) {
            return false;
          }
          refs.add(ref);
          return true;
        });
    return refs;
  }

  private void forget(String scope, String ref, Entry entry) {
    store.delete(entryKey(scope, ref));
    String exactKey = exactKey(scope, entry.contentHash());
    if (ref.equals(store.get(exactKey))) {
      store.delete(exactKey);
    }
    if (entry.signature() != null) {
      long[] bandKeys = hasher.bandKeys(entry.signature());
      for (int band = 0; band < bandKeys.length; band++) {
        removeFromBucket(bucketKey(scope, band, bandKeys[band]), ref);
      }
    }
    long[] state = scopeState(scope);
    putScopeState(scope, state[0] - 1, state[1]);
  }

  private void removeFromBucket(String key, String ref) {
    String bucket = store.get(key);
    if (bucket == null) {
      return;
    }
    List<String> rest = new ArrayList<>(List.of(bucket.split(" ")));
    rest.remove(ref);
    if (rest.isEmpty()) {
      store.delete(key);
    } else {
      store.put(key, String.join(" ", rest));
    }
  }

  private static boolean isExpired(String ref, long cutoff) {
    return Long.parseLong(ref.substring(0, 16), 16) < cutoff;
  }

  private Entry entry(String scope, String ref) {
    String value = store.get(entryKey(scope, ref));
    if (value == null) {
      throw new IllegalStateException("dedup index of " + scope + " points at missing entry " + ref);
    }
    String[] parts = value.split("\t", 3);
    return new Entry(parts[0], decode(parts[1]), parts[2]);
  }

  private long[] scopeState(String scope) {
    String value = store.get("s|" + scope);
    if (value == null) {
      return new long[] {0, 0};
    }
    int space = value.indexOf(' ');
    return new long[] {Long.parseLong(value.substring(0, space)), Long.parseLong(value.substring(space + 1))};
  }

  /** An emptied scope keeps its key: the sequence must keep counting so refs stay unique. */
  private void putScopeState(String scope, long count, long nextSeq) {
    store.put("s|" + scope, count + " " + nextSeq);
  }

  private static String entryKey(String scope, String ref) {
    return "e|" + scope + "|" + ref;
  }

  private static String exactKey(String scope, String contentHash) {
    return "x|" + scope + "|" + contentHash;
  }

  private static String bucketKey(String scope, int band, long bandKey) {
    return "b|" + scope + "|" + band + "|" + Long.toHexString(bandKey);
  }

  private static String encode(int[] signature) {
    if (signature == null) {
      return "";
    }
    ByteBuffer bytes = ByteBuffer.allocate(signature.length * Integer.BYTES);
    bytes.asIntBuffer().put(signature);
    return Base64.getEncoder().withoutPadding().encodeToString(bytes.array());
  }

  private static int[] decode(String encoded) {
    if (encoded.isEmpty()) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded));
    int[] signature = new int[bytes.remaining() / Integer.BYTES];
    bytes.asIntBuffer().get(signature);
    return signature;
  }

  private record Entry(String contentHash, int[] signature, String id) {}
}
