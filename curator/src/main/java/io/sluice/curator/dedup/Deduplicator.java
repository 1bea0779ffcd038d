package io.sluice.curator.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stage 5: exact and near-duplicate detection per scope (tenant/track/kind).
 *
 * <p>The {@link DedupStore} (changelogged, so exactly-once) is the source of truth and holds one
 * compact binary entry per remembered record, and nothing else:
 *
 * <pre>
 * key:   scope (UTF-8) 0x00 sequence (8 bytes, big-endian)       sorts by scope, then insertion
 * value: 0x01 eventTime (8) hashLength (2) contentHash (UTF-8) hashes (2) signature (4 each) id (UTF-8)
 * </pre>
 *
 * Everything a lookup needs (exact hash, LSH bands, signatures, ids, event times) is kept in memory
 * and rebuilt from the entries when the deduplicator is created; a stream task re-creates its
 * processors (and so this class) whenever its store is restored, so memory never disagrees with the
 * committed state. Admitting a record therefore reads nothing from the store and writes one entry
 * (one changelog record); forgetting one deletes it. The next sequence number of a scope is one
 * past its newest entry, so no counter is stored: a scope that was emptied starts again at 0, which
 * is safe because its old keys were all deleted.
 *
 * <p>Per scope, entries are kept oldest first: the per-scope cap evicts from the head after every
 * insert, so a scope never holds more than {@link DedupConfig#maxEntriesPerScope()} entries.
 * Retention (event time) is checked on every match, trimmed from the head on every insert and swept
 * by {@link #purgeExpired}. Results depend only on the order of calls, never on wall-clock time.
 */
public final class Deduplicator {

  /**
   * Most expired entries removed per admitted record, so one call never stalls on a huge backlog.
   */
  private static final int PURGE_BATCH = 64;

  /** First byte of every stored value; a later format gets another. */
  private static final byte FORMAT = 1;

  private final DedupConfig config;
  private final DedupStore store;
  private final MinHasher hasher;
  private final Map<String, ScopeIndex> indexes = new HashMap<>();

  /** Fewest agreeing signature positions for an estimated Jaccard at or above the threshold. */
  private final int minAgreeing;

  /** Incremented per near lookup; see {@link Remembered#visited}. */
  private long lookupStamp;

  /** Creates the deduplicator and rebuilds its indexes from the entries in {@code store}. */
  public Deduplicator(DedupConfig config, DedupStore store) {
    this.config = config;
    this.store = store;
    this.hasher = new MinHasher(config.shingleWords(), config.hashes(), config.bands());
    this.minAgreeing = minAgreeing(config);
    store.forEach(
        (key, value) -> {
          int separator = key.length - Long.BYTES - 1;
          String scope = new String(key, 0, separator, StandardCharsets.UTF_8);
          long seq = ByteBuffer.wrap(key, separator + 1, Long.BYTES).getLong();
          ScopeIndex index = index(scope);
          index.add(decode(seq, value));
          index.nextSeq = Math.max(index.nextSeq, seq + 1);
        });
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
    ScopeIndex index = index(scope);
    Optional<Duplicate> exact = exactMatch(scope, index, contentHash, cutoff);
    if (exact.isPresent()) {
      return exact;
    }
    int[] signature = nearText.isEmpty() ? null : hasher.signature(nearText);
    long[] bandKeys = signature == null ? null : hasher.bandKeys(signature);
    if (signature != null) {
      Optional<Duplicate> near = nearMatch(scope, index, signature, bandKeys, cutoff);
      if (near.isPresent()) {
        return near;
      }
    }
    Remembered record =
        new Remembered(index.nextSeq++, eventTime, contentHash, signature, bandKeys, id);
    store.put(key(scope, record.seq), encode(record));
    index.add(record);
    evictExpired(scope, cutoff, PURGE_BATCH);
    evictOverCap(scope);
    return Optional.empty();
  }

  /** The smallest k with k / hashes >= threshold, computed as the estimate is compared. */
  private static int minAgreeing(DedupConfig config) {
    int k = 0;
    while ((double) k / config.hashes() < config.threshold()) {
      k++;
    }
    return k;
  }

  /** Removes entries older than {@code now - retention} in every scope; returns how many. */
  public int purgeExpired(long now) {
    int removed = 0;
    for (String scope : new ArrayList<>(indexes.keySet())) {
      removed += evictExpired(scope, now - config.retentionMs(), Integer.MAX_VALUE);
    }
    return removed;
  }

  /** Number of records remembered for {@code scope}. */
  public long size(String scope) {
    ScopeIndex index = indexes.get(scope);
    return index == null ? 0 : index.remembered.size();
  }

  /** Number of in-memory index pairs (exact plus band) of {@code scope}, to check eviction. */
  public int indexSize(String scope) {
    ScopeIndex index = indexes.get(scope);
    return index == null ? 0 : index.exact.size() + index.bands.size();
  }

  private Optional<Duplicate> exactMatch(
      String scope, ScopeIndex index, String contentHash, long cutoff) {
    long[] hit = {-1};
    index.exact.forEach(
        hash64(contentHash),
        seq -> {
          if (index.remembered.get(seq).contentHash.equals(contentHash)) {
            hit[0] = seq;
            return false;
          }
          return true; // a 64-bit collision of different hashes
        });
    if (hit[0] < 0) {
      return Optional.empty();
    }
    Remembered entry = index.remembered.get(hit[0]);
    if (entry.eventTime < cutoff) {
      forget(scope, hit[0]);
      return Optional.empty();
    }
    return Optional.of(new Duplicate(entry.id, true, 1.0));
  }

  /**
   * The first remembered record, in band order, whose signature agrees with {@code signature} in at
   * least the threshold share of positions, among at most {@code maxCandidates} candidates. A
   * candidate found through several bands is compared once: each lookup stamps the records it
   * visits, which costs no allocation.
   */
  private Optional<Duplicate> nearMatch(
      String scope, ScopeIndex index, int[] signature, long[] bandKeys, long cutoff) {
    long stamp = ++lookupStamp;
    List<Long> expired = new ArrayList<>(0);
    Remembered[] match = {null};
    int[] visited = {0};
    for (int band = 0;
        band < bandKeys.length && match[0] == null && visited[0] <= config.maxCandidates();
        band++) {
      index.bands.forEach(
          bandKey(band, bandKeys[band]),
          slot -> {
            Remembered candidate = index.slots[(int) slot];
            if (candidate.visited == stamp) {
              return true;
            }
            candidate.visited = stamp;
            if (++visited[0] > config.maxCandidates()) {
              return false;
            }
            if (candidate.eventTime < cutoff) {
              expired.add(candidate.seq);
              return true;
            }
            if (MinHasher.agreeAtLeast(signature, candidate.signature, minAgreeing)) {
              match[0] = candidate;
              return false;
            }
            return true;
          });
    }
    expired.forEach(seq -> forget(scope, seq));
    if (match[0] == null) {
      return Optional.empty();
    }
    double similarity = MinHasher.similarity(signature, match[0].signature);
    return Optional.of(new Duplicate(match[0].id, false, similarity));
  }

  /**
   * Forgets expired entries from the oldest, stopping at the first live one or at {@code limit}.
   */
  private int evictExpired(String scope, long cutoff, int limit) {
    ScopeIndex index = index(scope);
    List<Long> expired = new ArrayList<>();
    for (Remembered oldest : index.remembered.values()) {
      if (expired.size() >= limit || oldest.eventTime >= cutoff) {
        break;
      }
      expired.add(oldest.seq);
    }
    expired.forEach(seq -> forget(scope, seq));
    return expired.size();
  }

  private void evictOverCap(String scope) {
    ScopeIndex index = index(scope);
    while (index.remembered.size() > config.maxEntriesPerScope()) {
      forget(scope, index.remembered.keySet().iterator().next());
    }
  }

  private void forget(String scope, long seq) {
    ScopeIndex index = index(scope);
    Remembered remembered = index.remembered.get(seq);
    if (remembered == null) {
      return; // already forgotten, e.g. found expired through two bands
    }
    store.delete(key(scope, seq));
    index.remove(remembered);
  }

  private ScopeIndex index(String scope) {
    return indexes.computeIfAbsent(scope, s -> new ScopeIndex());
  }

  /** The scope's UTF-8 bytes, a 0 byte (never part of a scope) and the sequence, big-endian. */
  static byte[] key(String scope, long seq) {
    byte[] scopeBytes = scope.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(scopeBytes.length + 1 + Long.BYTES)
        .put(scopeBytes)
        .put((byte) 0)
        .putLong(seq)
        .array();
  }

  private static byte[] encode(Remembered record) {
    byte[] hash = record.contentHash.getBytes(StandardCharsets.UTF_8);
    byte[] id = record.id.getBytes(StandardCharsets.UTF_8);
    int hashes = record.signature == null ? 0 : record.signature.length;
    ByteBuffer value =
        ByteBuffer.allocate(
            1 + Long.BYTES + 2 + hash.length + 2 + hashes * Integer.BYTES + id.length);
    value
        .put(FORMAT)
        .putLong(record.eventTime)
        .putShort((short) hash.length)
        .put(hash)
        .putShort((short) hashes);
    for (int i = 0; i < hashes; i++) {
      value.putInt(record.signature[i]);
    }
    return value.put(id).array();
  }

  private Remembered decode(long seq, byte[] bytes) {
    ByteBuffer value = ByteBuffer.wrap(bytes);
    byte format = value.get();
    if (format != FORMAT) {
      throw new IllegalStateException("dedup entry " + seq + " has unknown format " + format);
    }
    long eventTime = value.getLong();
    byte[] hash = new byte[Short.toUnsignedInt(value.getShort())];
    value.get(hash);
    int hashes = Short.toUnsignedInt(value.getShort());
    int[] signature = null;
    if (hashes > 0) {
      signature = new int[hashes];
      value.asIntBuffer().get(signature);
      value.position(value.position() + hashes * Integer.BYTES);
    }
    String id = new String(bytes, value.position(), value.remaining(), StandardCharsets.UTF_8);
    return new Remembered(
        seq,
        eventTime,
        new String(hash, StandardCharsets.UTF_8),
        signature,
        signature == null ? null : hasher.bandKeys(signature),
        id);
  }

  /** The band number is folded into the key so equal rows in different bands never collide. */
  private static long bandKey(int band, long rowsHash) {
    return rowsHash ^ ((band + 1) * 0x9e3779b97f4a7c15L);
  }

  private static long hash64(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
    }
    return hash;
  }

  /** A remembered record: what a lookup needs, so that no lookup reads the store. */
  private static final class Remembered {
    final long seq;
    final long eventTime;
    final String contentHash;
    final long hash64;
    final int[] signature;
    final long[] bandKeys;
    final String id;

    /**
     * Position in {@link ScopeIndex#slots}; the band index points here rather than at the sequence.
     */
    int slot;

    /**
     * The last near lookup that compared this record, so one found through two bands is compared
     * once.
     */
    long visited;

    Remembered(
        long seq, long eventTime, String contentHash, int[] signature, long[] bandKeys, String id) {
      this.seq = seq;
      this.eventTime = eventTime;
      this.contentHash = contentHash;
      this.hash64 = hash64(contentHash);
      this.signature = signature;
      this.bandKeys = bandKeys;
      this.id = id;
    }
  }

  /**
   * The in-memory lookup indexes of one scope: the remembered records by sequence (oldest first),
   * the exact-hash index (to sequences) and the LSH band index (to slots of a dense array, so a
   * lookup visiting hundreds of candidates reads an array instead of a boxed-key hash map). Freed
   * slots are reused, so the array never holds more slots than the scope's peak record count. About
   * 1 KB per record with the default 120 hashes.
   */
  private static final class ScopeIndex {
    /** Insertion order is sequence order, so the first entry is always the oldest. */
    final LinkedHashMap<Long, Remembered> remembered = new LinkedHashMap<>();

    final LongMultiMap exact = new LongMultiMap();
    final LongMultiMap bands = new LongMultiMap();
    Remembered[] slots = new Remembered[16];
    long nextSeq;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int slotsUsed;

    void add(Remembered record) {
      record.slot = allocateSlot();
      slots[record.slot] = record;
      remembered.put(record.seq, record);
      exact.put(record.hash64, record.seq);
      if (record.bandKeys != null) {
        for (int band = 0; band < record.bandKeys.length; band++) {
          bands.put(bandKey(band, record.bandKeys[band]), record.slot);
        }
      }
    }

    void remove(Remembered record) {
      remembered.remove(record.seq);
      exact.remove(record.hash64, record.seq);
      if (record.bandKeys != null) {
        for (int band = 0; band < record.bandKeys.length; band++) {
          bands.remove(bandKey(band, record.bandKeys[band]), record.slot);
        }
      }
      slots[record.slot] = null;
      if (freeCount == freeSlots.length) {
        freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
      }
      freeSlots[freeCount++] = record.slot;
    }

    private int allocateSlot() {
      if (freeCount > 0) {
        return freeSlots[--freeCount];
      }
      if (slotsUsed == slots.length) {
        slots = Arrays.copyOf(slots, slotsUsed * 2);
      }
      return slotsUsed++;
    }
  }
}
