package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sluice.config.Settings;
import io.sluice.curator.CuratorConfig;
import io.sluice.evaluator.EvaluatorConfig;
import io.sluice.ingest.IngestConfig;
import io.sluice.trainer.TrainerConfig;
import io.sluice.ui.UiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/: every kustomization, manifest and ConfigMap is checked against the real models and config
 * classes.
 */
class KubernetesManifestsTest {

  @TempDir Path temp;

  @Test
  void shouldNameOnlyFilesThatExistInEveryKustomization() throws IOException {
    List<String> missing = new ArrayList<>();
    for (String overlay : List.of("overlays/dev", "overlays/gpu")) {
      for (Path dir : Manifests.kustomizations(Repo.k8s().resolve(overlay))) {
        Manifests.Kustomization k = Manifests.kustomization(dir);
        assertThat(k.kind()).as(dir.toString()).isEqualTo("Kustomization");
        for (String resource : k.resources()) {
          Path path = dir.resolve(resource).normalize();
          boolean ok =
              Files.isRegularFile(path) || Files.isRegularFile(path.resolve("kustomization.yaml"));
          if (!ok) {
            missing.add(dir + ": resource " + resource);
          }
        }
        k.patches()
            .forEach(
                p -> {
                  if (p.path() != null && !Files.isRegularFile(dir.resolve(p.path()))) {
                    missing.add(dir + ": patch " + p.path());
                  }
                  if (p.path() == null && (p.patch() == null || p.target() == null)) {
                    missing.add(dir + ": inline patch without target");
                  }
                });
        k.configMapGenerator()
            .forEach(
                g ->
                    g.files()
                        .forEach(
                            f -> {
                              if (!Files.isRegularFile(dir.resolve(f))) {
                                missing.add(dir + ": generator " + g.name() + " file " + f);
                              }
                            }));
      }
    }
    assertThat(missing).isEmpty();
    // Both overlays reach the base and the dashboards and rules.
    assertThat(Manifests.kustomizations(Repo.k8s().resolve("overlays/gpu")))
        .contains(
            Repo.k8s().resolve("base"),
            Repo.k8s().resolve("grafana"),
            Repo.k8s().resolve("prometheus"));
  }

  @Test
  void shouldLeaveNoManifestUnreferenced() throws IOException {
    Set<Path> named = new TreeSet<>(Manifests.all().keySet());
    List<Path> onDisk;
    try (Stream<Path> files = Files.walk(Repo.k8s())) {
      onDisk =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
              .filter(f -> !f.startsWith(Repo.k8s().resolve("prometheus")))
              .map(Path::normalize)
              .toList();
    }
    assertThat(named).containsAll(onDisk);
  }

  @Test
  void shouldMapEveryManifestStrictlyOntoTheKubernetesAndStrimziModels() throws IOException {
    Map<Path, List<Manifests.Resource>> all = Manifests.all();
    Set<String> kinds = new TreeSet<>();
    all.values().forEach(list -> list.forEach(r -> kinds.add(r.kind())));
    assertThat(kinds)
        .contains(
            "Deployment",
            "StatefulSet",
            "Service",
            "ConfigMap",
            "PodDisruptionBudget",
            "PersistentVolumeClaim",
            "ServiceMonitor",
            "Kafka",
            "KafkaNodePool",
            "KafkaTopic");
  }

  @Test
  void shouldRejectUnknownFieldsAndWrongTypes() {
    // A typo one level deep: Deployment.spec.replica.
    assertThatThrownBy(
            () ->
                Manifests.toModel(
                    """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec: {replica: 2}
        """))
        .hasMessageContaining("replica");
    // A typo deep in a pod template: a probe's httpGet.paht.
    assertThatThrownBy(
            () ->
                Manifests.toModel(
                    """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          template:
            spec:
              containers:
                - name: c
                  livenessProbe: {httpGet: {paht: /healthz, port: 80}}
        """))
        .hasMessageContaining("paht");
    // Strimzi: a misspelt KafkaTopic field, and a string where partitions are an int.
    assertThatThrownBy(
            () ->
                Manifests.toModel(
                    """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata: {name: t}
        spec: {partition: 3}
        """))
        .hasMessageContaining("partition");
    assertThatThrownBy(
            () ->
                Manifests.toModel(
                    """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata: {name: t}
        spec: {partitions: many}
        """))
        .hasMessageContaining("KafkaTopic");
    assertThatThrownBy(
            () ->
                Manifests.toModel(
                    """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        """))
        .hasMessageContaining("no model");
  }

  @Test
  void shouldCreateEveryTopicOfTheCatalogWithItsConfigs() throws IOException {
    Map<String, io.strimzi.api.kafka.model.topic.KafkaTopic> topics = new HashMap<>();
    for (Manifests.Resource r : Manifests.read(Repo.k8s().resolve("base/topics.yaml"))) {
      var topic = (io.strimzi.api.kafka.model.topic.KafkaTopic) r.model();
      String name =
          topic.getSpec().getTopicName() != null
              ? topic.getSpec().getTopicName()
              : topic.getMetadata().getName();
      assertThat(topics.put(name, topic)).as("duplicate topic " + name).isNull();
      assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "sluice");
    }
    Set<String> catalog = new TreeSet<>();
    io.sluice.schemas.Topics.ALL.forEach(t -> catalog.add(t.name()));
    assertThat(new TreeSet<>(topics.keySet())).isEqualTo(catalog);
    for (var t : io.sluice.schemas.Topics.ALL) {
      var spec = topics.get(t.name()).getSpec();
      assertThat(spec.getPartitions()).as(t.name()).isEqualTo(t.partitions());
      Map<String, String> configs = new HashMap<>();
      spec.getConfig().forEach((k, v) -> configs.put(k, String.valueOf(v)));
      assertThat(configs).as(t.name()).isEqualTo(t.configs());
    }
  }

  @Test
  void shouldSetOnlyConfigKeysTheServicesAccept() throws IOException {
    Map<String, BiConsumer<Path, Map<String, String>>> loaders =
        Map.of(
            "sluice-ingest", (file, env) -> IngestConfig.load(Optional.of(file), env, Map.of()),
            "sluice-curator", (file, env) -> CuratorConfig.load(Optional.of(file), env, Map.of()),
            "sluice-trainer", (file, env) -> TrainerConfig.load(Optional.of(file), env, Map.of()),
            "sluice-evaluator",
                (file, env) -> EvaluatorConfig.load(Optional.of(file), env, Map.of()),
            "sluice-ui", (file, env) -> UiConfig.load(Optional.of(file), env, Map.of()));
    Map<String, ConfigMap> configMaps = new HashMap<>();
    Map<String, PodSpec> pods = new HashMap<>();
    for (String service : Manifests.SERVICES) {
      for (Manifests.Resource r : Manifests.read(Repo.k8s().resolve("base/" + service + ".yaml"))) {
        if (r.model() instanceof ConfigMap cm) {
          configMaps.put(cm.getMetadata().getName(), cm);
        } else if (r.model() instanceof Deployment d) {
          pods.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec());
        } else if (r.model() instanceof StatefulSet s) {
          pods.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec());
        }
      }
    }
    assertThat(configMaps.keySet()).containsExactlyInAnyOrderElementsOf(loaders.keySet());
    for (var entry : loaders.entrySet()) {
      String name = entry.getKey();
      String yaml = configMaps.get(name).getData().get("sluice.yaml");
      assertThat(yaml).as(name).isNotBlank();
      Path file = temp.resolve(name + ".yaml");
      Files.writeString(file, yaml);
      PodSpec pod = pods.get(name);
      assertThat(pod).as("workload " + name).isNotNull();
      Container container = pod.getContainers().get(0);
      // The environment the pod sets goes through the same check (SLUICE_<SERVICE>_* must be
      // known).
      Map<String, String> env = new HashMap<>();
      if (container.getEnv() != null) {
        container
            .getEnv()
            .forEach(e -> env.put(e.getName(), e.getValue() != null ? e.getValue() : name + "-0"));
      }
      entry.getValue().accept(file, env);
      // The pod reads this file: it mounts the ConfigMap where --config points.
      assertThat(container.getArgs())
          .as(name)
          .containsSequence("--config", "/etc/sluice/sluice.yaml");
      assertThat(pod.getVolumes())
          .as(name)
          .anyMatch(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals(name));
      // The check has teeth: an unknown key in the same file fails the load.
      String service = name.substring("sluice-".length());
      Path bad = temp.resolve(name + "-bad.yaml");
      Files.writeString(bad, yaml.replaceFirst(service + ":\n", service + ":\n  no.such.key: 1\n"));
      assertThatThrownBy(() -> entry.getValue().accept(bad, env))
          .as(name)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("no.such.key");
    }
  }

  @Test
  void shouldProbeLimitAndBudgetEveryService() throws IOException {
    Map<String, PodSpec> pods = new HashMap<>();
    Set<String> budgets = new TreeSet<>();
    Set<String> services = new TreeSet<>();
    for (List<Manifests.Resource> list : Manifests.all().values()) {
      for (Manifests.Resource r : list) {
        if (!r.file().startsWith(Repo.k8s().resolve("base"))) {
          continue;
        }
        if (r.model() instanceof Deployment d) {
          pods.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec());
        } else if (r.model() instanceof StatefulSet s) {
          pods.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec());
        } else if (r.model()
            instanceof io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget b) {
          budgets.add(b.getMetadata().getName());
        } else if (r.model() instanceof io.fabric8.kubernetes.api.model.Service s) {
          services.add(s.getMetadata().getName());
        }
      }
    }
    assertThat(pods.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Manifests.SERVICES.stream().map(service -> "sluice-" + service).toList());
    assertThat(budgets).isEqualTo(pods.keySet());
    assertThat(services).isEqualTo(pods.keySet());
    pods.forEach(
        (name, pod) -> {
          Container c = pod.getContainers().get(0);
          assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/healthz");
          assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/readyz");
          assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
          assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
        });
    // Trainer and evaluator share one ReadWriteMany adapter store.
    PersistentVolumeClaim pvc =
        (PersistentVolumeClaim)
            Manifests.read(Repo.k8s().resolve("base/adapter-store.yaml")).get(0).model();
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    for (String name : List.of("sluice-trainer", "sluice-evaluator")) {
      assertThat(pods.get(name).getVolumes())
          .as(name)
          .anyMatch(
              v ->
                  v.getPersistentVolumeClaim() != null
                      && v.getPersistentVolumeClaim()
                          .getClaimName()
                          .equals(pvc.getMetadata().getName()));
    }
  }

  @Test
  void shouldGiveTheUiItsKeysFromASecretAndTheAdapterStoreReadOnly() throws IOException {
    Deployment ui = deployment("base/ui.yaml");
    PodSpec pod = ui.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    assertThat(container.getEnvFrom())
        .anySatisfy(
            from -> assertThat(from.getSecretRef().getName()).isEqualTo("sluice-ui-api-keys"));
    // The variable the Secret must hold is one UiConfig reads, in ingest's key form.
    String keys = "reviewer-key-00001=acme|globex,operator-key-00001=*";
    Map<String, String> secret = Map.of(Settings.environmentName(UiConfig.API_KEYS_CONFIG), keys);
    assertThat(secret).containsKey("SLUICE_UI_API_KEYS");
    assertThat(
            UiConfig.load(
                    Optional.empty(),
                    secret,
                    Map.of(UiConfig.BOOTSTRAP_SERVERS_CONFIG, "sluice-kafka-bootstrap:9092"))
                .apiKeys()
                .isOpen())
        .isFalse();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("sluice-adapters");
              assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
            });
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("adapters"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/var/lib/sluice/adapters");
              assertThat(m.getReadOnly()).isTrue();
            });
  }

  @Test
  void shouldGiveIngestItsKeysFromASecret() throws IOException {
    Deployment ingest = deployment("base/ingest.yaml");
    Container container = ingest.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnvFrom())
        .singleElement()
        .satisfies(
            from -> {
              assertThat(from.getSecretRef().getName()).isEqualTo("sluice-ingest-api-keys");
              assertThat(from.getSecretRef().getOptional()).isTrue();
            });
    // The variable the Secret must hold is the one IngestConfig reads.
    Map<String, String> secret =
        Map.of(
            Settings.environmentName(IngestConfig.API_KEYS_CONFIG),
            "writer-key-000001=acme|globex");
    assertThat(secret).containsKey("SLUICE_INGEST_API_KEYS");
    assertThat(
            IngestConfig.load(
                    Optional.empty(),
                    secret,
                    Map.of(IngestConfig.BOOTSTRAP_SERVERS_CONFIG, "sluice-kafka-bootstrap:9092"))
                .apiKeys()
                .isOpen())
        .isFalse();
  }

  private static Deployment deployment(String manifest) throws IOException {
    return Manifests.read(Repo.k8s().resolve(manifest)).stream()
        .map(Manifests.Resource::model)
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldGiveTheTrainerOneGpuInTheGpuOverlay() throws IOException {
    StatefulSet patch =
        (StatefulSet)
            Manifests.read(Repo.k8s().resolve("overlays/gpu/trainer-gpu.yaml")).get(0).model();
    Container trainer = patch.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(trainer.getName()).isEqualTo("trainer");
    assertThat(trainer.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(trainer.getArgs()).containsSequence("--device", "cuda");
  }

  @Test
  void shouldShipEveryDashboardAsAGrafanaSidecarConfigMap() throws IOException {
    Manifests.Kustomization k = Manifests.kustomization(Repo.k8s().resolve("grafana"));
    Set<String> listed = new TreeSet<>();
    k.configMapGenerator().forEach(g -> listed.addAll(g.files()));
    Set<String> dashboards = new TreeSet<>();
    try (Stream<Path> files = Files.list(Repo.k8s().resolve("grafana"))) {
      files
          .filter(f -> f.toString().endsWith(".json"))
          .forEach(f -> dashboards.add(f.getFileName().toString()));
    }
    assertThat(listed).isEqualTo(dashboards);
    assertThat(k.generatorOptions().labels()).containsEntry("grafana_dashboard", "1");
  }
}
