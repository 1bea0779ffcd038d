package io.sluice.curator.pii;

/**
 * A detected value: {@code [start, end)} in the scanned text is replaced by a placeholder of {@code
 * type}; {@code key} is the normalized value, so equal values share one placeholder.
 */
record Span(int start, int end, PiiType type, String key) {

  int length() {
    return end - start;
  }

  boolean overlaps(Span other) {
    return start < other.end && other.start < end;
  }
}
