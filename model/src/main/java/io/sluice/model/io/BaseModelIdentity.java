package io.sluice.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Who a base model is, for adapters and lineage: a portable name (what adapter_config.json's {@code
 * base_model_name_or_path} carries, never a machine-local path) and the SHA-256 of its weights
 * (what decides whether an adapter may run on it).
 *
 * @param sha256 hex SHA-256 over the model's *.safetensors files in name order
 */
public record BaseModelIdentity(String name, String sha256) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads a model directory: the name is {@code configuredName} when given, else the bundled
   * model's manifest name, else config.json's {@code _name_or_path} when it is a hub-style name,
   * else the directory's own name.
   */
  public static BaseModelIdentity of(Path dir, String configuredName) throws IOException {
    return new BaseModelIdentity(name(dir, configuredName), weightsSha256(dir));
  }

  private static String name(Path dir, String configuredName) throws IOException {
    if (configuredName != null && !configuredName.isBlank()) {
      return configuredName;
    }
    Path manifest = dir.resolve("manifest.json");
    if (Files.isRegularFile(manifest)) {
      String name = JSON.readTree(manifest.toFile()).path("name").asText("");
      if (!name.isBlank()) {
        return name;
      }
    }
    Path config = dir.resolve("config.json");
    if (Files.isRegularFile(config)) {
      JsonNode nameOrPath = JSON.readTree(config.toFile()).path("_name_or_path");
      String value = nameOrPath.asText("");
      if (!value.isBlank()
          && !value.startsWith("/")
          && !value.startsWith(".")
          && !value.contains("\\")) {
        return value;
      }
    }
    return dir.toAbsolutePath().normalize().getFileName().toString();
  }

  /** SHA-256 over every *.safetensors file of {@code dir}, in file-name order. */
  public static String weightsSha256(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().endsWith(".safetensors"))
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      throw new ModelFormatException(dir + " holds no .safetensors weights");
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            digest.update(buffer, 0, n);
          }
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
