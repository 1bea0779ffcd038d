package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sluice.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * k8s/ as {@code kubectl apply -k} sees it: base, dev and gpu rendered by the real kustomize, and
 * every rendered object checked strictly against the Kubernetes and Strimzi models and against what
 * each build must produce (the objects, namespace, image, sizes and GPU).
 */
class KustomizeBuildTest {

  private static Optional<Kustomize> kustomize;

  @BeforeAll
  static void findKustomize() throws Exception {
    kustomize = Kustomize.installed();
  }

  @BeforeEach
  void skipWithoutKustomize() {
    assumeTrue(kustomize.isPresent(), Kustomize.missingMessage());
  }

  /** kind/name of every object every build renders. */
  private static Set<String> baseObjects() throws IOException {
    Set<String> objects =
        new TreeSet<>(
            List.of(
                "Kafka/sluice",
                "KafkaNodePool/dual-role",
                "PersistentVolumeClaim/sluice-adapters",
                "Deployment/sluice-ingest",
                "StatefulSet/sluice-curator",
                "StatefulSet/sluice-trainer",
                "StatefulSet/sluice-evaluator",
                "Deployment/sluice-ui",
                "ServiceMonitor/sluice",
                "ConfigMap/sluice-prometheus-rules"));
    for (String service : Manifests.SERVICES) {
      objects.addAll(
          List.of(
              "ConfigMap/sluice-" + service,
              "Service/sluice-" + service,
              "PodDisruptionBudget/sluice-" + service));
    }
    Topics.ALL.forEach(t -> objects.add("KafkaTopic/" + t.name().replace('.', '-')));
    try (Stream<Path> files = Files.list(Repo.k8s().resolve("grafana"))) {
      files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".json"))
          .forEach(
              f ->
                  objects.add(
                      "ConfigMap/sluice-dashboard-"
                          + f.substring("sluice-".length(), f.length() - ".json".length())));
    }
    return objects;
  }

  private static List<JsonNode> render(String dir) throws Exception {
    return kustomize.orElseThrow().build(Repo.k8s().resolve(dir));
  }

  private static Set<String> names(List<JsonNode> objects) {
    Set<String> names = new TreeSet<>();
    objects.forEach(o -> names.add(name(o)));
    return names;
  }

  private static String name(JsonNode object) {
    return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
  }

  /** Workload name → pod spec, from the strictly mapped objects. */
  private static Map<String, PodSpec> pods(List<JsonNode> objects) {
    Map<String, PodSpec> pods = new HashMap<>();
    for (JsonNode object : objects) {
      Object model = Manifests.toModel(object, "rendered " + object.path("kind").asText());
      if (model instanceof Deployment d) {
        pods.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec());
      } else if (model instanceof StatefulSet s) {
        pods.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec());
      }
    }
    return pods;
  }

  @Test
  void shouldRenderTheBaseIntoEveryObjectStrictly() throws Exception {
    List<JsonNode> objects = render("base");

    assertThat(names(objects)).isEqualTo(baseObjects());
    objects.forEach(o -> Manifests.toModel(o, "base: " + o.path("kind").asText()));
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(
                        o.path("metadata")
                            .path("labels")
                            .path("app.kubernetes.io/part-of")
                            .asText())
                    .as(name(o))
                    .isEqualTo("sluice"));
  }

  @Test
  void shouldShipTheDashboardFilesAsTheyAre() throws Exception {
    for (JsonNode object : render("base")) {
      if (!object.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1")) {
        continue;
      }
      var data = object.path("data").fields().next();
      Path file = Repo.k8s().resolve("grafana").resolve(data.getKey());
      assertThat(Dashboards.JSON.readTree(data.getValue().asText()))
          .isEqualTo(Dashboards.JSON.readTree(file.toFile()));
    }
  }

  @Test
  void shouldGiveEveryGroupMemberItsPodNameAsInstanceId() throws Exception {
    Map<String, PodSpec> pods = pods(render("base"));
    for (String service : List.of("curator", "trainer", "evaluator")) {
      Container container = pods.get("sluice-" + service).getContainers().get(0);
      assertThat(container.getEnv())
          .as(service)
          .anySatisfy(
              env -> {
                assertThat(env.getName())
                    .isEqualTo("SLUICE_" + service.toUpperCase() + "_INSTANCE_ID");
                assertThat(env.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.name");
              });
    }
  }

  @Test
  void shouldRenderTheDevOverlayIntoOneSmallNamespace() throws Exception {
    List<JsonNode> objects = render("overlays/dev");
    Set<String> expected = baseObjects();
    expected.add("Namespace/sluice-dev");

    assertThat(names(objects)).isEqualTo(expected);
    objects.stream()
        .filter(o -> !o.path("kind").asText().equals("Namespace"))
        .forEach(
            o ->
                assertThat(o.path("metadata").path("namespace").asText())
                    .as(name(o))
                    .isEqualTo("sluice-dev"));
    pods(objects)
        .forEach(
            (name, pod) ->
                assertThat(pod.getContainers())
                    .as(name)
                    .allSatisfy(c -> assertThat(c.getImage()).isEqualTo("sluice:dev")));
    for (JsonNode object : objects) {
      switch (object.path("kind").asText()) {
        case "KafkaTopic", "KafkaNodePool", "Deployment", "StatefulSet" ->
            assertThat(object.path("spec").path("replicas").asInt()).as(name(object)).isEqualTo(1);
        case "Kafka" ->
            assertThat(
                    object
                        .path("spec")
                        .path("kafka")
                        .path("config")
                        .path("default.replication.factor")
                        .asInt())
                .isEqualTo(1);
        default -> {}
      }
    }
    Container curator = pods(objects).get("sluice-curator").getContainers().get(0);
    assertThat(curator.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
  }

  @Test
  void shouldRenderTheGpuOverlayWithTheTrainerAloneOnAGpu() throws Exception {
    List<JsonNode> objects = render("overlays/gpu");

    assertThat(names(objects)).isEqualTo(baseObjects());
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(o.path("metadata").path("namespace").asText())
                    .as(name(o))
                    .isEqualTo("sluice"));
    Map<String, PodSpec> pods = pods(objects);
    pods.forEach(
        (name, pod) ->
            assertThat(pod.getContainers())
                .as(name)
                .allSatisfy(c -> assertThat(c.getImage()).isEqualTo("sluice:cuda")));
    PodSpec trainer = pods.get("sluice-trainer");
    Container container = trainer.getContainers().get(0);
    assertThat(container.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(container.getArgs()).containsSequence("--device", "cuda");
    assertThat(trainer.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    assertThat(trainer.getTolerations())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    // The patch merges: the trainer keeps its probes, volumes and instance id.
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .contains("SLUICE_TRAINER_INSTANCE_ID", "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR");
    assertThat(trainer.getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo("adapters"));
    pods.forEach(
        (name, pod) -> {
          if (!name.equals("sluice-trainer")) {
            assertThat(pod.getContainers().get(0).getResources().getLimits())
                .as(name)
                .doesNotContainKey("nvidia.com/gpu");
          }
        });
  }
}
