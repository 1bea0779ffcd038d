package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An adapter's directory in the store, as far as this machine can read it: its files (listed, and
 * served by exact name only, so no request reaches outside the directory), its training_report.json
 * and lineage.json.
 */
public final class AdapterFiles {

  /** Most files listed from one adapter directory (a PEFT adapter has four). */
  static final int MAX_FILES = 64;

  /** Largest JSON file read for a page; a loss curve of 100,000 steps is about 2 MB. */
  static final long MAX_JSON_BYTES = 16L * 1024 * 1024;

  public static final String TRAINING_REPORT = "training_report.json";
  public static final String LINEAGE = "lineage.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  public AdapterFiles(String adapterUri) {
    this.directory = Path.of(adapterUri);
  }

  public Path directory() {
    return directory;
  }

  /** A file of the adapter directory, by name. */
  public record AdapterFile(String name, long bytes) {}

  /** The directory's regular files, sorted by name; empty when it is not readable from here. */
  public List<AdapterFile> list() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(Files::isRegularFile)
          .sorted()
          .limit(MAX_FILES)
          .map(file -> new AdapterFile(file.getFileName().toString(), size(file)))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The listed file of this name; never a path outside the directory. */
  public Optional<Path> file(String name) {
    return list().stream()
        .filter(file -> file.name().equals(name))
        .findFirst()
        .map(file -> directory.resolve(file.name()));
  }

  /** A JSON file of the directory, when present, readable and within {@link #MAX_JSON_BYTES}. */
  public Optional<JsonNode> json(String name) {
    Optional<Path> file = file(name);
    if (file.isEmpty() || size(file.get()) > MAX_JSON_BYTES) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(file.get().toFile()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
