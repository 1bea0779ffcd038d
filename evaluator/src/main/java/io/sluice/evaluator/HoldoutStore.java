package io.sluice.evaluator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.io.ChatTurn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holdout items per tenant/track, the newest {@code maxItems} of each, and how far the curated
 * topic has been read. Saved as one JSON file (written to a temporary file, then renamed), so a
 * restart resumes from the saved positions with the same holdouts instead of forgetting them.
 * Tracks never mix: the key is {@code tenant/track}.
 */
public final class HoldoutStore {
  static final String FILE = "holdouts.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final int maxItems;
  private final Map<String, Deque<HoldoutItem>> tracks = new TreeMap<>();
  private final Map<Integer, Long> positions = new TreeMap<>();

  /** What is saved: positions of sluice.examples.curated by partition, items by track key. */
  record Saved(Map<Integer, Long> positions, Map<String, List<SavedItem>> tracks) {}

  /**
   * @param desirable absent (null) in files written before votes existed
   */
  record SavedItem(
      String id, List<SavedTurn> messages, String answer, String rejected, Boolean desirable) {}

  record SavedTurn(String role, String content) {}

  private HoldoutStore(Path file, int maxItems) {
    this.file = file;
    this.maxItems = maxItems;
  }

  /** Opens the store in {@code stateDir}, loading what an earlier run saved. */
  public static HoldoutStore open(Path stateDir, int maxItems) {
    HoldoutStore store = new HoldoutStore(stateDir.resolve(FILE), maxItems);
    if (Files.isRegularFile(store.file)) {
      try {
        Saved saved = JSON.readValue(store.file.toFile(), new TypeReference<Saved>() {});
        store.positions.putAll(saved.positions());
        saved
            .tracks()
            .forEach(
                (key, items) ->
                    items.forEach(
                        i ->
                            store.add(
                                key,
                                new HoldoutItem(
                                    i.id(),
                                    i.messages().stream()
                                        .map(t -> new ChatTurn(t.role(), t.content()))
                                        .toList(),
                                    i.answer(),
                                    i.rejected(),
                                    i.desirable()))));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the evaluator's holdout state " + store.file, e);
      }
    }
    return store;
  }

  /** Adds an item to its track; a re-read record (same id) replaces nothing and is ignored. */
  public synchronized void add(String trackKey, HoldoutItem item) {
    Deque<HoldoutItem> items = tracks.computeIfAbsent(trackKey, k -> new ArrayDeque<>());
    if (items.stream().anyMatch(i -> i.id().equals(item.id()))) {
      return;
    }
    items.addLast(item);
    while (items.size() > maxItems) {
      items.removeFirst();
    }
  }

  /**
   * The track's items, oldest first: the snapshot a candidate, its champion and the base are scored
   * on.
   */
  public synchronized List<HoldoutItem> snapshot(String trackKey) {
    return List.copyOf(tracks.getOrDefault(trackKey, new ArrayDeque<>()));
  }

  public synchronized int trackCount() {
    return tracks.size();
  }

  public synchronized Map<Integer, Long> positions() {
    return Map.copyOf(positions);
  }

  public synchronized void position(int partition, long nextOffset) {
    positions.put(partition, nextOffset);
  }

  /** Writes the store atomically. */
  public synchronized void save() {
    Map<String, List<SavedItem>> items = new TreeMap<>();
    tracks.forEach(
        (key, deque) ->
            items.put(
                key,
                deque.stream()
                    .map(
                        i ->
                            new SavedItem(
                                i.id(),
                                i.messages().stream()
                                    .map(t -> new SavedTurn(t.role(), t.content()))
                                    .toList(),
                                i.answer(),
                                i.rejected(),
                                i.desirable()))
                    .toList()));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE + ".tmp");
      JSON.writeValue(tmp.toFile(), new Saved(new TreeMap<>(positions), items));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evaluator's holdout state " + file, e);
    }
  }

  /**
   * Hex SHA-256 of the items (ids, turns and answers, in order): names a snapshot in reports and
   * caches.
   */
  public static String hash(List<HoldoutItem> items) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (HoldoutItem item : items) {
        List<String> parts = new ArrayList<>();
        parts.add(item.id());
        item.messages()
            .forEach(
                t -> {
                  parts.add(t.role());
                  parts.add(t.content());
                });
        parts.add(item.answer());
        parts.add(item.rejected() == null ? "" : item.rejected());
        if (item.isVote()) {
          // Only votes add a part, so snapshots without votes keep the hashes they had.
          parts.add(item.desirable() ? "+" : "-");
        }
        for (String part : parts) {
          byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
          digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
          digest.update(bytes);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
