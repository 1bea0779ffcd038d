package io.sluice.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.io.BaseModelIdentity;
import io.sluice.model.train.TrainResult;
import io.sluice.model.train.TrainedAdapter;
import io.sluice.schemas.avro.CuratedExample;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The adapter store: a directory, {@code <store>/<tenant>/<track>/<adapter-id>/} per adapter in
 * PEFT format with lineage.json and training_report.json. An adapter directory appears whole or not
 * at all: it is written under a temporary name and renamed.
 */
final class AdapterStore {
  static final String LINEAGE_FILE = "lineage.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  AdapterStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path trackDir(String tenant, String track) {
    return root.resolve(segment(tenant)).resolve(segment(track));
  }

  /** Tenant and track names become one path segment each, whatever characters they hold. */
  private static String segment(String name) {
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
    return encoded.startsWith(".") ? "%2E" + encoded.substring(1) : encoded;
  }

  /**
   * Writes the adapter, its report and lineage, and returns its final directory. A directory left
   * under the same id by a run that crashed before its candidate was committed is replaced: it
   * holds the same window, and nothing ever referenced it.
   */
  Path write(TrainingSet set, TrainedAdapter trained, BaseModelIdentity base, String parentAdapter)
      throws IOException {
    Path trackDir = trackDir(set.tenant(), set.track());
    Files.createDirectories(trackDir);
    Path target = trackDir.resolve(set.adapterId());
    Path temp = Files.createTempDirectory(trackDir, ".tmp-" + set.adapterId() + "-");
    try {
      trained.save(temp, base.name());
      Files.writeString(
          temp.resolve(LINEAGE_FILE),
          JSON.writerWithDefaultPrettyPrinter()
              .writeValueAsString(lineage(set, trained.result(), base, parentAdapter)));
      if (Files.exists(target)) {
        deleteTree(target);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target);
      }
      return target;
    } catch (IOException | RuntimeException e) {
      deleteTree(temp);
      throw e;
    }
  }

  static ObjectNode lineage(
      TrainingSet set, TrainResult result, BaseModelIdentity base, String parentAdapter) {
    ObjectNode root = JSON.createObjectNode();
    root.put("adapter_id", set.adapterId());
    root.put("tenant", set.tenant());
    root.put("track", set.track());
    root.put("created_at", Instant.now().toString());
    ObjectNode baseNode = root.putObject("base_model");
    baseNode.put("name", base.name());
    baseNode.put("sha256", base.sha256());
    if (parentAdapter == null) {
      root.putNull("parent_adapter");
    } else {
      root.put("parent_adapter", parentAdapter);
    }
    root.put("objective", result.objective().name());
    root.set("hyperparameters", Hyperparameters.json(result.options()));
    ArrayNode ranges = root.putArray("offset_ranges");
    set.sources()
        .forEach(
            r ->
                ranges
                    .addObject()
                    .put("topic", r.getTopic())
                    .put("partition", r.getPartition())
                    .put("from_offset", r.getFromOffset())
                    .put("until_offset", r.getUntilOffset()));
    ArrayNode sources = root.putArray("sources");
    set.window()
        .forEach(
            e ->
                sources
                    .addObject()
                    .put("id", e.record().getId())
                    .put("topic", e.partition().topic())
                    .put("partition", e.partition().partition())
                    .put("offset", e.offset()));
    ArrayNode replay = root.putArray("replay_ids");
    set.replay().stream().map(CuratedExample::getId).forEach(replay::add);
    ObjectNode rehearsal = root.putObject("rehearsal");
    rehearsal.put("count", set.rehearsalCount());
    rehearsal.put("seed", set.rehearsalSeed());
    ObjectNode semantic = root.putObject("semantic_dedup");
    semantic.put("threshold", set.semanticDedup().threshold());
    semantic.put("index_size", set.semanticDedup().indexSize());
    semantic.put("count", set.semanticDedup().duplicates().size());
    ArrayNode duplicates = semantic.putArray("duplicates");
    set.semanticDedup()
        .duplicates()
        .forEach(
            d ->
                duplicates
                    .addObject()
                    .put("id", d.id())
                    .put("duplicate_of", d.duplicateOf())
                    .put("cosine", d.cosine()));
    root.put("training_examples", set.examples().size());
    root.put("truncated_examples", result.truncatedExamples());
    root.put("training_set_sha256", set.sha256());
    return root;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
