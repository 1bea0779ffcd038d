package io.sluice.curator.dedup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.LinkedHashMap;

/**
 * Stage 5: exact and near-duplicate detection per scope (tenant/track/kind).
 *
 * <p>The {@link DedupStore} (changelogged, so exactly-once) is the source of truth and holds two
 * kinds of key per scope:
 *
 * <pre>
 * e|scope|seq   -> eventTime TAB contentHash TAB signature TAB id   one entry per remembered record
 * s|scope       -> count nextSeq                                     size and sequence of the scope
 * </pre>
 *
 * The lookup indexes (exact hash and LSH bands to sequence numbers) are derived from the entries
 * and kept in memory, rebuilt from the store when the deduplicator is created. Persisting them
 * would write 20+ changelog records per input record; this way an insert writes two. A stream
 * task re-creates its processors (and so this class) whenever its store is restored, so the
 * indexes never disagree with the committed state.
 *
 * <p>Entries are keyed by insertion sequence, so the oldest come first: the per-scope cap evicts
 * from the head after every insert, so a scope never holds more than {@link
 * DedupConfig#maxEntriesPerScope()} entries. Retention (event time) is checked on every match,
 * trimmed from the head on every insert and swept by {@link #purgeExpired}. Results depend only on
 * the order of calls, never on wall-clock time.
 */
public final class Deduplicator {

  /** Most expired entries removed per admitted record, so one call never stalls on a huge backlog. */
  private static final int PURGE_BATCH = 64;

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
    store.scan(
        "e|",
        entry -> {
          String key = entry.getKey();
          int bar = key.lastIndexOf('|');
          String scope = key.substring(2, bar);
          index(scope).add(Long.parseLong(key.substring(bar + 1), 16), Entry.decode(entry.getValue()));
          return true;
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
    if (signature != null) {
      Optional<Duplicate> near = nearMatch(scope, index, signature, cutoff);
      if (near.isPresent()) {
        return near;
      }
    }
    remember(scope, index, new Entry(eventTime, contentHash, signature, id));
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
    return scopeState(scope)[0];
  }

  /** Number of in-memory index pairs (exact plus band) of {@code scope}, to check eviction. */
  public int indexSize(String scope) {
    ScopeIndex index = indexes.get(scope);
    return index == null ? 0 : index.exact.size() + index.bands.size();
  }

  private Optional<Duplicate> exactMatch(String scope, ScopeIndex index, String contentHash, long cutoff) {
    List<Long> hits = new ArrayList<>(1);
    index.exact.forEach(hash64(contentHash), hits::add);
    for (long seq : hits) {
      Entry entry = entry(scope, seq);
      if (!entry.contentHash().equals(contentHash)) {
        continue; // a 64-bit collision of different hashes
      }
      if (entry.eventTime() < cutoff) {
        forget(scope, seq);
        return Optional.empty();
      }
      return Optional.of(new Duplicate(entry.id(), true, 1.0));
    }
    return Optional.empty();
  }

  /**
   * The first remembered record, in band order, whose signature agrees with {@code signature} in
   * at least the threshold share of positions, among at most {@code maxCandidates} candidates.
   * Signatures are compared in memory; the store is read only for the match's id. A candidate
   * found through several bands is compared once: each lookup stamps the records it visits, which
   * costs no allocation (a set of boxed sequence numbers was the largest cost of a lookup).
   */
  private Optional<Duplicate> nearMatch(String scope, ScopeIndex index, int[] signature, long cutoff) {
    long[] bandKeys = hasher.bandKeys(signature);
    long stamp = ++lookupStamp;
    List<Long> expired = new ArrayList<>(0);
    long[] match = {-1};
    int[] visited = {0};
    for (int band = 0; band < bandKeys.length && match[0] < 0 && visited[0] <= config.maxCandidates(); band++) {
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
              match[0] = candidate.seq;
              return false;
            }
            return true;
          });
    }
    expired.forEach(seq -> forget(scope, seq));
    Remembered matched = match[0] < 0 ? null : index.remembered.get(match[0]);
    if (matched == null) {
      return Optional.empty();
    }
    double similarity = MinHasher.similarity(signature, matched.signature);
    return Optional.of(new Duplicate(entry(scope, match[0]).id(), false, similarity));
  }

  private void remember(String scope, ScopeIndex index, Entry entry) {
    long[] state = scopeState(scope);
    long seq = state[1];
    store.put(entryKey(scope, seq), entry.encode());
    index.add(seq, entry);
    putScopeState(scope, state[0] + 1, seq + 1);
  }

  /** Forgets expired entries from the oldest, stopping at the first live one or at {@code limit}. */
  private int evictExpired(String scope, long cutoff, int limit) {
    ScopeIndex index = index(scope);
    List<Long> expired = new ArrayList<>();
    for (Map.Entry<Long, Remembered> oldest : index.remembered.entrySet()) {
      if (expired.size() >= limit || oldest.getValue().eventTime >= cutoff) {
        break;
      }
      expired.add(oldest.getKey());
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
    store.delete(entryKey(scope, seq));
    index.remove(seq, remembered);
    long[] state = scopeState(scope);
    putScopeState(scope, state[0] - 1, state[1]);
  }

  private Entry entry(String scope, long seq) {
    String value = store.get(entryKey(scope, seq));
    if (value == null) {
      throw new IllegalStateException("dedup index of " + scope + " points at missing entry " + seq);
    }
    return Entry.decode(value);
  }

  private ScopeIndex index(String scope) {
    return indexes.computeIfAbsent(scope, s -> new ScopeIndex());
  }

  /**
   * {@code {count, nextSeq}} of the scope: read from the store once, then kept in memory and
   * written through, since this deduplicator is the store's only writer (reading and parsing it
   * back on every record was a visible share of an insert).
   */
  private long[] scopeState(String scope) {
    ScopeIndex index = index(scope);
    if (index.state == null) {
      String value = store.get("s|" + scope);
      if (value == null) {
        index.state = new long[] {0, 0};
      } else {
        int space = value.indexOf(' ');
        index.state =
            new long[] {Long.parseLong(value.substring(0, space)), Long.parseLong(value.substring(space + 1))};
      }
    }
    return index.state;
  }

  /** An emptied scope keeps its key: the sequence must keep counting so entry keys stay unique. */
  private void putScopeState(String scope, long count, long nextSeq) {
    store.put("s|" + scope, count + " " + nextSeq);
    index(scope).state = new long[] {count, nextSeq};
  }

  /** {@code e|scope|seq} with the sequence as 16 hex digits, so keys sort in insertion order. */
  private static String entryKey(String scope, long seq) {
    String hex = Long.toHexString(seq);
    return new StringBuilder(scope.length() + 19)
        .append("e|")
        .append(scope)
        .append('|')
        .append("0000000000000000", hex.length(), 16)
        .append(hex)
        .toString();
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

  /** What the indexes keep of a remembered record: enough to match and expire without the store. */
  private static final class Remembered {
    final long seq;
    final long eventTime;
    final long hash64;
    final int[] signature;
    /** Position in {@link ScopeIndex#slots}; the band index points here rather than at the sequence. */
    int slot;
    /** The last near lookup that compared this record, so one found through two bands is compared once. */
    long visited;

    Remembered(long seq, long eventTime, long hash64, int[] signature) {
      this.seq = seq;
      this.eventTime = eventTime;
      this.hash64 = hash64;
      this.signature = signature;
    }
  }

  /**
   * The in-memory lookup indexes of one scope: the remembered records by sequence (oldest first),
   * the exact-hash index (to sequences) and the LSH band index (to slots of a dense array, so a
   * lookup visiting hundreds of candidates reads an array instead of a boxed-key hash map). Freed
   * slots are reused, so the array never holds more slots than the scope's peak record count.
   * About 0.9 KB per record with the default 120 hashes.
   */
  private final class ScopeIndex {
    /** Insertion order is sequence order, so the first entry is always the oldest. */
    final LinkedHashMap<Long, Remembered> remembered = new LinkedHashMap<>();
    final LongMultiMap exact = new LongMultiMap();
    final LongMultiMap bands = new LongMultiMap();
    Remembered[] slots = new Remembered[16];
    /** {@code {count, nextSeq}} as stored under {@code s|scope}, once read; see {@link #scopeState}. */
    long[] state;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int slotsUsed;

    void add(long seq, Entry entry) {
      Remembered record = new Remembered(seq, entry.eventTime(), hash64(entry.contentHash()), entry.signature());
      record.slot = allocateSlot();
      slots[record.slot] = record;
      remembered.put(seq, record);
      exact.put(record.hash64, seq);
      if (record.signature != null) {
        long[] keys = hasher.bandKeys(record.signature);
        for (int band = 0; band < keys.length; band++) {
          bands.put(bandKey(band, keys[band]), record.slot);
        }
      }
    }

    void remove(long seq, Remembered record) {
      remembered.remove(seq);
      exact.remove(record.hash64, seq);
      if (record.signature != null) {
        long[] keys = hasher.bandKeys(record.signature);
        for (int band = 0; band < keys.length; band++) {
          bands.remove(bandKey(band, keys[band]), record.slot);
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

  /** A remembered record as stored: {@code eventTime TAB contentHash TAB signature TAB id}. */
  private record Entry(long eventTime, String contentHash, int[] signature, String id) {

    String encode() {
      return eventTime + "\t" + contentHash + "\t" + encodeSignature(signature) + "\t" + id;
    }

    static Entry decode(String value) {
      String[] parts = value.split("\t", 4);
      return new Entry(Long.parseLong(parts[0]), parts[1], decodeSignature(parts[2]), parts[3]);
    }

    private static String encodeSignature(int[] signature) {
      if (signature == null) {
        return "";
      }
      ByteBuffer bytes = ByteBuffer.allocate(signature.length * Integer.BYTES);
      bytes.asIntBuffer().put(signature);
      return Base64.getEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static int[] decodeSignature(String encoded) {
      if (encoded.isEmpty()) {
        return null;
      }
      ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded));
      int[] signature = new int[bytes.remaining() / Integer.BYTES];
      bytes.asIntBuffer().get(signature);
      return signature;
    }
  }
}
