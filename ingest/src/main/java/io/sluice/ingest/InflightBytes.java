package io.sluice.ingest;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bytes held by requests in progress, against {@code ingest.max.inflight.bytes}. A request
 * reserves its body size before its body is read and releases it once answered, so the bodies,
 * parsed events and encoded records of all requests in progress stay bounded by a small multiple of
 * the limit however many clients send at once.
 */
final class InflightBytes {

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  InflightBytes(long limit) {
    this.limit = limit;
  }

  /** Bytes reserved now. */
  long used() {
    return used.get();
  }

  long limit() {
    return limit;
  }

  /** Reserves {@code bytes}; empty when that would exceed the limit (nothing is reserved then). */
  Optional<Reservation> tryReserve(long bytes) {
    long current;
    do {
      current = used.get();
      if (current + bytes > limit) {
        return Optional.empty();
      }
    } while (!used.compareAndSet(current, current + bytes));
    return Optional.of(new Reservation(bytes));
  }

  /** Bytes held by one request; closing releases them once. */
  final class Reservation implements AutoCloseable {
    private final long bytes;
    private boolean released;

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        used.addAndGet(-bytes);
      }
    }
  }
}
