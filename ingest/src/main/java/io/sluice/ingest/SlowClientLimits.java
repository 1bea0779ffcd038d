package io.sluice.ingest;

import java.time.Duration;

/**
 * What clients that send slowly, stall or never finish may hold: without these, a few hundred such
 * connections each keep a request thread blocked on their body and the server stops answering
 * everyone else.
 *
 * @param prefetchBytes a body up to this size is received without a thread before the endpoint
 *     runs; 0 turns prefetching off
 * @param idleTimeout a connection or request that sends nothing for this long is closed
 * @param minRequestBytesPerSecond slowest average arrival of a body read on a request thread; 0
 *     turns the check off
 */
public record SlowClientLimits(
    int prefetchBytes, Duration idleTimeout, long minRequestBytesPerSecond) {

  /** The detail of the 408 for a body that arrived slower than the minimum rate. */
  String tooSlowDetail() {
    return "the body arrived slower than "
        + minRequestBytesPerSecond
        + " bytes per second on average ("
        + IngestConfig.MIN_REQUEST_BYTES_PER_SECOND_CONFIG
        + "); nothing was written";
  }
}
