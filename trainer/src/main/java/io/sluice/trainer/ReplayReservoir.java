package io.sluice.trainer;

import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.CuratedExample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A bounded uniform sample of one track's earlier train examples (reservoir sampling), replayed
 * into later windows against drift toward the newest data. It lives in the adapter store beside the
 * track's adapters and is only updated after a window's candidate is committed, so retraining a
 * window after a crash draws the same replay sample.
 *
 * <p>File: {@code <store>/<tenant>/<track>/replay.jsonl}: a header line {"seen": N} and then one
 * curated record per line.
 */
final class ReplayReservoir {
  static final String FILE = "replay.jsonl";

  private final Path file;
  private final int capacity;
  private final long seed;
  private final List<CuratedExample> items;
  private long seen;

  private ReplayReservoir(
      Path file, int capacity, long seed, List<CuratedExample> items, long seen) {
    this.file = file;
    this.capacity = capacity;
    this.seed = seed;
    this.items = items;
    this.seen = seen;
  }

  /** The track's reservoir from {@code trackDir}, or an empty one when there is none yet. */
  static ReplayReservoir open(Path trackDir, int capacity, long seed) throws IOException {
    Path file = trackDir.resolve(FILE);
    List<CuratedExample> items = new ArrayList<>();
    long seen = 0;
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (!lines.isEmpty()) {
        seen = Long.parseLong(lines.get(0).replaceAll("[^0-9]", ""));
        for (String line : lines.subList(1, lines.size())) {
          if (!line.isBlank()) {
            items.add(AvroJson.fromJsonLine(line, CuratedExample.class));
          }
        }
      }
    }
    return new ReplayReservoir(file, capacity, seed, items, seen);
  }

  int size() {
    return items.size();
  }

  /** {@code count} distinct items drawn with {@code random}, in reservoir order. */
  List<CuratedExample> sample(int count, Random random) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      indices.add(i);
    }
    Collections.shuffle(indices, random);
    List<Integer> chosen = new ArrayList<>(indices.subList(0, Math.min(count, indices.size())));
    Collections.sort(chosen);
    return chosen.stream().map(items::get).toList();
  }

  /**
   * Offers the examples of a trained window (Algorithm R) and saves the reservoir (temp file and
   * rename, so a crash leaves the old or the new file, never half of one).
   */
  void addAndSave(List<CuratedExample> examples) throws IOException {
    for (CuratedExample example : examples) {
      seen++;
      if (items.size() < capacity) {
        items.add(example);
      } else {
        // One generator per draw, derived from the track seed and the draw number: the same
        // stream gives the same reservoir without persisting generator state.
        long slot = Math.floorMod(new Random(seed * 31 + seen).nextLong(), seen);
        if (slot < capacity) {
          items.set((int) slot, example);
        }
      }
    }
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp");
    StringBuilder text = new StringBuilder("{\"seen\": ").append(seen).append("}\n");
    items.forEach(item -> text.append(AvroJson.toJsonLine(item)).append('\n'));
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
