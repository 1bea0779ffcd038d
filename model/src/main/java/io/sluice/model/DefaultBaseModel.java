package io.sluice.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tiny base model Sluice pretrains itself, shipped as resources of this module and extracted
 * once to {@code <sluice home>/models/tiny-<sha>/} so every command can use it without a download.
 * The sluice home is {@code -Dsluice.home}, else {@code $SLUICE_HOME}, else {@code ~/.sluice}.
 */
public final class DefaultBaseModel {
  public static final String NAME = "sluice-tiny";
  private static final String RESOURCES = "/io/sluice/model/tiny/";
  private static final String MANIFEST = "manifest.json";
  private static final Logger LOG = LoggerFactory.getLogger(DefaultBaseModel.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private DefaultBaseModel() {}

  /** The extracted model directory; extracting (and checking hashes) only the first time. */
  public static synchronized Path path() {
    try {
      JsonNode manifest = readManifest();
      String id = manifest.path("files").path("model.safetensors").asText();
      Path dir = home().resolve("models").resolve("tiny-" + id.substring(0, 12));
      if (Files.isRegularFile(dir.resolve(MANIFEST))) {
        return dir;
      }
      Files.createDirectories(dir.getParent());
      Path staging = Files.createTempDirectory(dir.getParent(), "extract-");
      Iterator<Map.Entry<String, JsonNode>> files = manifest.path("files").fields();
      while (files.hasNext()) {
        Map.Entry<String, JsonNode> file = files.next();
        Path target = staging.resolve(file.getKey());
        try (InputStream in = resource(file.getKey())) {
          Files.copy(in, target);
        }
        String actual = sha256(target);
        if (!actual.equals(file.getValue().asText())) {
          throw new IllegalStateException(
              "bundled "
                  + file.getKey()
                  + " has sha256 "
                  + actual
                  + " but the manifest says "
                  + file.getValue().asText());
        }
      }
      // The manifest goes last: its presence marks a complete extraction.
      try (InputStream in = resource(MANIFEST)) {
        Files.copy(in, staging.resolve(MANIFEST));
      }
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another process extracted it first; its copy is identical.
        deleteTree(staging);
      }
      LOG.info("extracted the default base model to {}", dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the default base model", e);
    }
  }

  static Path home() {
    String configured = System.getProperty("sluice.home", System.getenv("SLUICE_HOME"));
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".sluice");
  }

  private static JsonNode readManifest() throws IOException {
    try (InputStream in = resource(MANIFEST)) {
      return JSON.readTree(in);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = DefaultBaseModel.class.getResourceAsStream(RESOURCES + name);
    if (in == null) {
      throw new IOException("resource " + RESOURCES + name + " is missing from the model jar");
    }
    return in;
  }

  /** Writes {@code manifest.json} (name and SHA-256 per file) beside a pretrained model. */
  public static void writeManifest(Path dir, Iterable<String> files) throws IOException {
    var root = JSON.createObjectNode();
    root.put("name", NAME);
    var entries = root.putObject("files");
    for (String file : files) {
      entries.put(file, sha256(dir.resolve(file)));
    }
    Files.writeString(
        dir.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
