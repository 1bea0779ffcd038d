package io.sluice.trainer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One track's recent kept examples as base-model embeddings (unit vectors), for semantic dedup
 * across windows, plus the running sum of every embedding the track has produced, whose mean
 * centres the comparison ({@link SemanticDedup}). Bounded: the newest {@code capacity} entries are
 * kept, the oldest go first. It lives beside the replay reservoir and, like it, is updated only
 * after a window's candidate is committed, so a retrained window is compared against the same
 * index. Embeddings belong to one base: an index written for other weights is started afresh.
 *
 * <p>File {@code <store>/<tenant>/<track>/semantic-index.bin}: magic, version, base SHA-256,
 * dimension, embeddings seen, their sum (doubles), entry count, then per entry its id, kind key and
 * vector (floats). Written to a temporary file and renamed.
 */
final class SemanticIndex {
  static final String FILE = "semantic-index.bin";
  private static final Logger LOG = LoggerFactory.getLogger(SemanticIndex.class);
  private static final int MAGIC = 0x53454d58; // "SEMX"
  private static final int VERSION = 1;

  /** A kept example: its curated id, what it is compared with, its unit embedding. */
  record Entry(String id, String kindKey, float[] vector) {}

  private final Path file;
  private final int capacity;
  private final String baseSha256;
  private final Deque<Entry> entries;
  private double[] sum;
  private long seen;

  private SemanticIndex(
      Path file, int capacity, String baseSha256, Deque<Entry> entries, double[] sum, long seen) {
    this.file = file;
    this.capacity = capacity;
    this.baseSha256 = baseSha256;
    this.entries = entries;
    this.sum = sum;
    this.seen = seen;
  }

  /** The track's index from {@code trackDir}; empty when there is none or it is another base's. */
  static SemanticIndex open(Path trackDir, int capacity, String baseSha256) throws IOException {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "semantic index capacity must be positive but is " + capacity);
    }
    Path file = trackDir.resolve(FILE);
    SemanticIndex empty =
        new SemanticIndex(file, capacity, baseSha256, new ArrayDeque<>(), null, 0);
    if (!Files.exists(file)) {
      return empty;
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IOException(file + " is not a semantic index of version " + VERSION);
      }
      String base = in.readUTF();
      if (!base.equals(baseSha256)) {
        LOG.warn(
            "{} was built on base {} but the base is now {}: starting a new index",
            file,
            base,
            baseSha256);
        return empty;
      }
      int dimension = in.readInt();
      long seen = in.readLong();
      double[] sum = new double[dimension];
      for (int i = 0; i < dimension; i++) {
        sum[i] = in.readDouble();
      }
      int count = in.readInt();
      Deque<Entry> entries = new ArrayDeque<>();
      for (int e = 0; e < count; e++) {
        String id = in.readUTF();
        String kind = in.readUTF();
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
          vector[i] = in.readFloat();
        }
        entries.addLast(new Entry(id, kind, vector));
      }
      SemanticIndex index = new SemanticIndex(file, capacity, baseSha256, entries, sum, seen);
      index.evict();
      return index;
    }
  }

  /** Kept entries, oldest first. */
  List<Entry> entries() {
    return List.copyOf(entries);
  }

  int size() {
    return entries.size();
  }

  int capacity() {
    return capacity;
  }

  /** Embeddings the track has produced so far (kept or not): the mean's sample size. */
  long seen() {
    return seen;
  }

  /** The running sum of every embedding seen, or null before the first. */
  double[] sum() {
    return sum == null ? null : sum.clone();
  }

  /**
   * Adds a committed window: every embedding to the running mean, the kept ones as entries (the
   * oldest leave beyond the capacity), and saves the file.
   */
  void addAndSave(List<float[]> allVectors, List<Entry> kept) throws IOException {
    for (float[] v : allVectors) {
      if (sum == null) {
        sum = new double[v.length];
      }
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
      seen++;
    }
    kept.forEach(entries::addLast);
    evict();
    save();
  }

  private void evict() {
    while (entries.size() > capacity) {
      entries.removeFirst();
    }
  }

  private void save() throws IOException {
    if (sum == null) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(baseSha256);
      out.writeInt(sum.length);
      out.writeLong(seen);
      for (double s : sum) {
        out.writeDouble(s);
      }
      out.writeInt(entries.size());
      for (Entry e : new ArrayList<>(entries)) {
        out.writeUTF(e.id());
        out.writeUTF(e.kindKey());
        for (float f : e.vector()) {
          out.writeFloat(f);
        }
      }
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
