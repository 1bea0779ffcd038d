package io.sluice.ops;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the kustomize tree under k8s/ and maps every manifest onto the Kubernetes (fabric8) and
 * Strimzi model classes, strictly: the model classes keep unknown fields in an {@code
 * additionalProperties} map instead of failing, so a field that any object of the tree keeps there
 * is reported as unknown.
 */
final class Manifests {

  static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** apiVersion + "/" + kind → model class. Every kind Sluice's manifests use must be here. */
  static final Map<String, Class<?>> MODEL =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
          Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
          Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
          Map.entry(
              "v1/PersistentVolumeClaim",
              io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
          Map.entry("apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
          Map.entry(
              "policy/v1/PodDisruptionBudget",
              io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
          Map.entry(
              "monitoring.coreos.com/v1/ServiceMonitor",
              io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
          Map.entry("kafka.strimzi.io/v1beta2/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
          Map.entry(
              "kafka.strimzi.io/v1beta2/KafkaNodePool",
              io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
          Map.entry(
              "kafka.strimzi.io/v1beta2/KafkaTopic",
              io.strimzi.api.kafka.model.topic.KafkaTopic.class));

  /**
   * The services k8s/base runs, each from {@code base/<service>.yaml}: a workload {@code
   * sluice-<service>}, its ConfigMap, Service and PodDisruptionBudget.
   */
  static final List<String> SERVICES = List.of("ingest", "curator", "trainer", "evaluator", "ui");

  /** A kustomization.yaml, with only the fields Sluice uses: anything else fails to parse. */
  record Kustomization(
      String apiVersion,
      String kind,
      String namespace,
      List<String> resources,
      List<Image> images,
      List<Patch> patches,
      List<Labels> labels,
      List<Generator> configMapGenerator,
      GeneratorOptions generatorOptions) {
    public List<String> resources() {
      return resources == null ? List.of() : resources;
    }

    public List<Patch> patches() {
      return patches == null ? List.of() : patches;
    }

    public List<Generator> configMapGenerator() {
      return configMapGenerator == null ? List.of() : configMapGenerator;
    }
  }

  record Image(String name, String newName, String newTag) {}

  record Patch(String path, String patch, Target target) {}

  record Target(String group, String version, String kind, String name) {}

  record Labels(Map<String, String> pairs, Boolean includeSelectors) {}

  record Generator(String name, List<String> files, List<String> literals) {}

  record GeneratorOptions(
      Boolean disableNameSuffixHash, Map<String, String> labels, Map<String, String> annotations) {}

  /** One YAML document of a manifest file, parsed onto its model class. */
  record Resource(Path file, JsonNode tree, Object model) {
    String kind() {
      return tree.path("kind").asText();
    }

    String name() {
      return tree.path("metadata").path("name").asText();
    }
  }

  private Manifests() {}

  static Kustomization kustomization(Path dir) throws IOException {
    return YAML.readValue(dir.resolve("kustomization.yaml").toFile(), Kustomization.class);
  }

  /** The kustomization directories reachable from {@code dir}, itself first. */
  static Set<Path> kustomizations(Path dir) throws IOException {
    Set<Path> dirs = new LinkedHashSet<>();
    collect(dir.normalize(), dirs);
    return dirs;
  }

  private static void collect(Path dir, Set<Path> dirs) throws IOException {
    if (!dirs.add(dir)) {
      return;
    }
    for (String resource : kustomization(dir).resources()) {
      Path path = dir.resolve(resource).normalize();
      if (Files.isDirectory(path)) {
        collect(path, dirs);
      }
    }
  }

  /** The manifest files (resources and patches) that one kustomization directory names. */
  static List<Path> manifestFiles(Path dir) throws IOException {
    Kustomization k = kustomization(dir);
    List<Path> files = new ArrayList<>();
    for (String resource : k.resources()) {
      Path path = dir.resolve(resource).normalize();
      if (!Files.isDirectory(path)) {
        files.add(path);
      }
    }
    for (Patch patch : k.patches()) {
      if (patch.path() != null) {
        files.add(dir.resolve(patch.path()).normalize());
      }
    }
    return files;
  }

  /** Every document of a manifest file, mapped strictly onto its model class. */
  static List<Resource> read(Path file) throws IOException {
    List<Resource> resources = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
      var documents = YAML.readValues(parser, JsonNode.class);
      while (documents.hasNextValue()) {
        JsonNode tree = documents.nextValue();
        if (tree == null
            || tree.isNull()
            || tree.isMissingNode()
            || (tree.isObject() && tree.isEmpty())) {
          continue; // a leading comment before the first ---
        }
        resources.add(new Resource(file, tree, toModel(tree, file.toString())));
      }
    }
    return resources;
  }

  /**
   * Maps one manifest onto its model class; throws naming the file and field on anything unknown.
   */
  static Object toModel(JsonNode tree, String where) {
    String key = tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
    Class<?> type = MODEL.get(key);
    if (type == null) {
      throw new IllegalArgumentException(
          where + ": no model for " + key + " (known: " + MODEL.keySet() + ")");
    }
    Object model;
    try {
      model = YAML.treeToValue(tree, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          where + ": " + key + " does not map onto " + type.getName() + ": " + e.getMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    unknownFields(model, type.getSimpleName(), unknown, new IdentityHashMap<>());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(where + ": unknown fields in " + key + ": " + unknown);
    }
    // Round trip: the model must give back every value the file sets (nothing silently dropped).
    ObjectNode back = YAML.valueToTree(model);
    // Strimzi's classes write the newest apiVersion of the kind (v1 for v1beta2): not a loss.
    back.set("apiVersion", tree.get("apiVersion"));
    List<String> lost = new ArrayList<>();
    lostValues(tree, back, "", lost);
    if (!lost.isEmpty()) {
      throw new IllegalArgumentException(
          where + ": values the model dropped or changed in " + key + ": " + lost);
    }
    return model;
  }

  private static void unknownFields(
      Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    String pkg = value.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
      return;
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        Object fieldValue;
        try {
          field.setAccessible(true);
          fieldValue = field.get(value);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue;
        }
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
            extra.keySet().forEach(k -> unknown.add(path + "." + k));
          }
        } else {
          unknownFields(fieldValue, path + "." + field.getName(), unknown, seen);
        }
      }
    }
  }

  private static void lostValues(JsonNode original, JsonNode back, String path, List<String> lost) {
    if (original.isObject()) {
      original
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode other = back == null ? null : back.get(e.getKey());
                if (other == null || other.isNull()) {
                  // {} and a false flag (the default) may serialize as absent.
                  boolean isDefault =
                      (e.getValue().isObject() && e.getValue().isEmpty())
                          || (e.getValue().isBoolean() && !e.getValue().booleanValue());
                  if (!isDefault) {
                    lost.add(path + "/" + e.getKey());
                  }
                } else {
                  lostValues(e.getValue(), other, path + "/" + e.getKey(), lost);
                }
              });
    } else if (original.isArray()) {
      for (int i = 0; i < original.size(); i++) {
        lostValues(
            original.get(i),
            back != null && back.isArray() ? back.get(i) : null,
            path + "/" + i,
            lost);
      }
    } else if (back == null || !original.asText().equals(back.asText())) {
      lost.add(
          path
              + " ("
              + original.asText()
              + " -> "
              + (back == null ? "absent" : back.asText())
              + ")");
    }
  }

  /** Parses a YAML snippet as a manifest (for tests that prove the checker rejects bad input). */
  static Object toModel(String yaml) throws IOException {
    return toModel(YAML.readTree(yaml), "snippet");
  }

  /**
   * Every document of every manifest file named by any kustomization reachable from the overlays.
   */
  static Map<Path, List<Resource>> all() throws IOException {
    Map<Path, List<Resource>> out = new LinkedHashMap<>();
    for (Path root :
        List.of(Repo.k8s().resolve("overlays/dev"), Repo.k8s().resolve("overlays/gpu"))) {
      for (Path dir : kustomizations(root)) {
        for (Path file : manifestFiles(dir)) {
          if (!out.containsKey(file)) {
            out.put(file, read(file));
          }
        }
      }
    }
    return out;
  }

  static ObjectNode object() {
    return YAML.createObjectNode();
  }
}
