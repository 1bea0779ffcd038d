package io.sluice.model.train;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Gives freed tensor memory back to the operating system during training.
 *
 * <p>libtorch allocates CPU tensors with glibc's malloc. A training step frees thousands of
 * intermediates of many sizes while the activations autograd saved are still alive, and glibc keeps
 * the freed holes mapped; measured on SmolLM2-135M's shape that retention was about half of the
 * step's peak resident memory. Trimming after each decoder layer returns those pages. Elsewhere
 * than on glibc (musl, macOS) this does nothing.
 */
final class NativeMemory {
  private interface C extends Library {
    int malloc_trim(long pad);
  }

  private static final C LIBC = load();

  private NativeMemory() {}

  private static C load() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
        || !Boolean.parseBoolean(System.getProperty("sluice.malloc.trim", "true"))) {
      return null;
    }
    try {
      return Native.load("c", C.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null;
    }
  }

  /** Returns free heap pages to the OS (glibc's {@code malloc_trim(0)}). */
  static void trim() {
    if (LIBC != null) {
      try {
        LIBC.malloc_trim(0);
      } catch (UnsatisfiedLinkError e) {
        // not glibc: nothing to trim
      }
    }
  }
}
