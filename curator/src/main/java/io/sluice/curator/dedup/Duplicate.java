package io.sluice.curator.dedup;

/**
 * A record already seen in the same tenant/track/kind within the retention window.
 *
 * @param duplicateOf id of the remembered record
 * @param exact true when the normalized content is identical, false for a MinHash near-duplicate
 * @param similarity estimated Jaccard similarity (1 for exact matches)
 */
public record Duplicate(String duplicateOf, boolean exact, double similarity) {}
