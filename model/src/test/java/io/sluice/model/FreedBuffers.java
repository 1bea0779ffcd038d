package io.sluice.model;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * Frees, now, every Java direct buffer nothing references any more, as a garbage collection at an
 * unlucky moment would: memory that libtorch still reads through such a buffer is then handed back
 * to the allocator, which writes its own bookkeeping into it.
 */
public final class FreedBuffers {
  private static final long GUARD_MILLIS = 60_000;

  private FreedBuffers() {}

  /**
   * A full collection finds the unreachable buffers and the Reference Handler thread runs their
   * cleaners. That thread takes each collection's references as one batch and finishes a batch
   * before it takes the next, so once a sentinel found by a second collection has been enqueued,
   * every cleaner found by the first has run.
   */
  public static void freeUnreachable() throws InterruptedException {
    for (int collection = 0; collection < 2; collection++) {
      ReferenceQueue<Object> queue = new ReferenceQueue<>();
      PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
      System.gc();
      if (queue.remove(GUARD_MILLIS) == null) {
        throw new IllegalStateException(
            "System.gc() collected nothing in " + GUARD_MILLIS + " ms (-XX:+DisableExplicitGC?)");
      }
      Reference.reachabilityFence(sentinel);
    }
  }
}
