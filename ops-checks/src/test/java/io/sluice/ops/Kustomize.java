package io.sluice.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a kustomization with the real tool: {@code kustomize build DIR}, or {@code kubectl
 * kustomize DIR} (kubectl embeds kustomize). The manifests use {@code labels:} and {@code
 * patches:}, which need kustomize 4 or later (kubectl 1.21 or later).
 */
final class Kustomize {

  private static final Pattern KUSTOMIZE_VERSION =
      Pattern.compile("Kustomize Version: v?(\\d+)\\.");

  private final List<String> command;

  private Kustomize(List<String> command) {
    this.command = command;
  }

  /** The installed renderer, if one new enough is on PATH. */
  static Optional<Kustomize> installed() throws IOException, InterruptedException {
    Optional<Path> kustomize = Repo.tool("kustomize");
    if (kustomize.isPresent()) {
      return Optional.of(new Kustomize(List.of(kustomize.get().toString(), "build")));
    }
    Optional<Path> kubectl = Repo.tool("kubectl");
    if (kubectl.isEmpty()) {
      return Optional.empty();
    }
    String versions = run(List.of(kubectl.get().toString(), "version", "--client"));
    Matcher version = KUSTOMIZE_VERSION.matcher(versions);
    if (!version.find() || Integer.parseInt(version.group(1)) < 4) {
      return Optional.empty(); // Debian's kubernetes-client 1.20 embeds kustomize 2
    }
    return Optional.of(new Kustomize(List.of(kubectl.get().toString(), "kustomize")));
  }

  static String missingMessage() {
    return "neither kustomize (>= 4) nor kubectl (>= 1.21) is on PATH, so the rendering check is"
        + " SKIPPED; Debian's kubernetes-client (kubectl 1.20, kustomize 2) is too old to render"
        + " k8s/ (labels:, patches:); install kubectl or kustomize from the Kubernetes project";
  }

  /** Every object {@code dir}'s kustomization renders to, in the tool's order. */
  List<JsonNode> build(Path dir) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(command);
    args.add(dir.toString());
    String yaml = run(args);
    List<JsonNode> objects = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) Manifests.YAML.getFactory().createParser(yaml)) {
      var documents = Manifests.YAML.readValues(parser, JsonNode.class);
      while (documents.hasNextValue()) {
        JsonNode object = documents.nextValue();
        if (object != null && !object.isNull() && !object.isEmpty()) {
          objects.add(object);
        }
      }
    }
    return objects;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("kustomize-", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + Files.readString(errors));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
