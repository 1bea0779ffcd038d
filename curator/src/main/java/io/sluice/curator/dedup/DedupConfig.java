package io.sluice.curator.dedup;

/**
 * Deduplication settings (trade-offs in docs/curator.md).
 *
 * @param shingleWords words per shingle for MinHash
 * @param hashes MinHash signature length
 * @param bands LSH bands; {@code hashes / bands} rows each
 * @param threshold estimated Jaccard similarity at or above which a record is a near-duplicate
 * @param retentionMs event-time window in which a record can be duplicated; older entries expire
 * @param maxEntriesPerScope cap on remembered records per tenant/track/kind; the oldest go first
 * @param maxCandidates most LSH candidates whose signatures are compared per record; bounds the
 *     cost of one lookup in a dense, templated track, at the risk of missing a match beyond it
 */
public record DedupConfig(
    int shingleWords,
    int hashes,
    int bands,
    double threshold,
    long retentionMs,
    int maxEntriesPerScope,
    int maxCandidates) {

  public DedupConfig {
    if (shingleWords < 1) {
      throw new IllegalArgumentException("shingleWords must be >= 1 but was " + shingleWords);
    }
    if (bands < 1 || hashes < bands || hashes % bands != 0) {
      throw new IllegalArgumentException(
          "hashes (" + hashes + ") must be a positive multiple of bands (" + bands + ")");
    }
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be within (0, 1] but was " + threshold);
    }
    if (retentionMs < 1) {
      throw new IllegalArgumentException("retentionMs must be >= 1 but was " + retentionMs);
    }
    if (maxEntriesPerScope < 1) {
      throw new IllegalArgumentException(
          "maxEntriesPerScope must be >= 1 but was " + maxEntriesPerScope);
    }
    if (maxCandidates < 1) {
      throw new IllegalArgumentException("maxCandidates must be >= 1 but was " + maxCandidates);
    }
  }

  /**
   * 3-word shingles, 120 hashes in 20 bands of 6, Jaccard 0.8, 30 days, 100,000 per track, 200
   * candidates.
   */
  public static DedupConfig defaults() {
    return new DedupConfig(3, 120, 20, 0.8, 30L * 24 * 60 * 60 * 1000, 100_000, 200);
  }
}
