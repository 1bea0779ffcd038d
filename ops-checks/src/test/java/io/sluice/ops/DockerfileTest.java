package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile of the image the manifests run (no Docker engine here, so it is parsed, not
 * built): only known instructions, a FROM first, exec-form JSON that parses, and agreement with
 * k8s/ (the jar path every container runs, the user the pods run as, every container port exposed)
 * and with the application build (what it copies is what {@code mvn package} makes).
 */
class DockerfileTest {

  private static final Set<String> INSTRUCTIONS =
      Set.of(
          "FROM",
          "ARG",
          "RUN",
          "COPY",
          "ENV",
          "USER",
          "WORKDIR",
          "EXPOSE",
          "ENTRYPOINT",
          "CMD",
          "LABEL");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: its keyword and arguments, continuation lines joined. */
  record Instruction(int line, String keyword, String arguments) {}

  static List<Instruction> parse(String dockerfile) {
    List<Instruction> instructions = new ArrayList<>();
    String[] lines = dockerfile.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int start = i + 1;
      StringBuilder text = new StringBuilder();
      while (line.endsWith("\\")) {
        text.append(line, 0, line.length() - 1).append(' ');
        if (++i >= lines.length) {
          throw new IllegalArgumentException("line " + start + ": continuation at end of file");
        }
        line = lines[i].strip();
      }
      text.append(line);
      String[] parts = text.toString().split("\\s+", 2);
      String keyword = parts[0];
      if (!INSTRUCTIONS.contains(keyword)) {
        throw new IllegalArgumentException(
            "line " + start + ": unknown or lower-case instruction " + keyword);
      }
      if (parts.length < 2 || parts[1].isBlank()) {
        throw new IllegalArgumentException("line " + start + ": " + keyword + " without arguments");
      }
      instructions.add(new Instruction(start, keyword, parts[1].strip()));
    }
    return instructions;
  }

  private static List<Instruction> dockerfile() throws IOException {
    return parse(Files.readString(Repo.root().resolve("Dockerfile")));
  }

  private static List<Instruction> all(List<Instruction> instructions, String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  private static Instruction one(List<Instruction> instructions, String keyword) {
    List<Instruction> found = all(instructions, keyword);
    assertThat(found).as(keyword).hasSize(1);
    return found.get(0);
  }

  private static List<String> execForm(Instruction instruction) throws IOException {
    JsonNode array = JSON.readTree(instruction.arguments());
    assertThat(array.isArray())
        .as("line " + instruction.line() + ": exec form (JSON array)")
        .isTrue();
    List<String> words = new ArrayList<>();
    array.forEach(w -> words.add(w.asText()));
    return words;
  }

  @Test
  void shouldParseAsOneStageFromAJre17() throws IOException {
    List<Instruction> instructions = dockerfile();
    Set<String> declared = new HashSet<>();
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("FROM")) {
        break;
      }
      assertThat(instruction.keyword()).as("only ARG before FROM").isEqualTo("ARG");
      declared.add(instruction.arguments().split("=", 2)[0]);
    }
    Matcher base = Pattern.compile("\\$\\{(\\w+)}").matcher(one(instructions, "FROM").arguments());
    while (base.find()) {
      assertThat(declared).as("FROM uses a declared ARG").contains(base.group(1));
    }
    String defaultBase = all(instructions, "ARG").get(0).arguments();
    assertThat(defaultBase).contains("17-jre");
    assertThat(execForm(one(instructions, "ENTRYPOINT"))).contains("-Dai.djl.offline=true");
  }

  @Test
  void shouldRefuseWhatDockerWouldRefuse() {
    assertThatThrownBy(() -> parse("FROM x\nRUNN true\n")).hasMessageContaining("RUNN");
    assertThatThrownBy(() -> parse("FROM x\nCOPY\n")).hasMessageContaining("without arguments");
    assertThatThrownBy(() -> parse("FROM x\nRUN a \\")).hasMessageContaining("continuation");
  }

  @Test
  void shouldRunTheJarAndUserAndPortsTheManifestsExpect() throws IOException {
    List<Instruction> instructions = dockerfile();
    List<String> entrypoint = execForm(one(instructions, "ENTRYPOINT"));
    String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
    long uid = Long.parseLong(one(instructions, "USER").arguments().split(":")[0]);
    Set<Integer> exposed = new HashSet<>();
    for (String port : one(instructions, "EXPOSE").arguments().split("\\s+")) {
      exposed.add(Integer.parseInt(port));
    }
    Map<String, PodSpec> pods = new HashMap<>();
    for (String service : Manifests.SERVICES) {
      for (Manifests.Resource r : Manifests.read(Repo.k8s().resolve("base/" + service + ".yaml"))) {
        if (r.model() instanceof Deployment d) {
          pods.put(r.name(), d.getSpec().getTemplate().getSpec());
        } else if (r.model() instanceof StatefulSet s) {
          pods.put(r.name(), s.getSpec().getTemplate().getSpec());
        }
      }
    }
    assertThat(pods).hasSameSizeAs(Manifests.SERVICES);
    pods.forEach(
        (name, pod) -> {
          Container container = pod.getContainers().get(0);
          assertThat(container.getImage()).as(name).isEqualTo("sluice");
          assertThat(container.getCommand()).as(name).containsSequence("-jar", jar);
          assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isEqualTo(uid);
          assertThat(pod.getSecurityContext().getFsGroup()).as(name).isEqualTo(uid);
          assertThat(container.getPorts())
              .extracting(ContainerPort::getContainerPort)
              .as(name)
              .allSatisfy(port -> assertThat(exposed).contains(port));
        });
  }

  @Test
  void shouldCopyWhatThePackageBuildMakes() throws IOException {
    List<Instruction> copies = all(dockerfile(), "COPY");
    Map<String, String> copied = new HashMap<>();
    copies.forEach(
        c -> {
          String[] paths = c.arguments().split("\\s+");
          assertThat(paths).as("COPY source destination, line " + c.line()).hasSize(2);
          copied.put(paths[0], paths[1]);
        });
    assertThat(copied)
        .containsEntry("app/target/sluice.jar", "/opt/sluice/sluice.jar")
        .containsEntry("app/target/lib/", "/opt/sluice/lib/");
    String dockerignore = Files.readString(Repo.root().resolve(".dockerignore"));
    copied.keySet().forEach(source -> assertThat(dockerignore).contains("!" + source));
    // The jar finds its libraries by its manifest's Class-Path, relative to itself: every entry
    // must be in lib/, and (once packaged) present there.
    Path jar = Repo.root().resolve("app/target/sluice.jar");
    if (Files.isRegularFile(jar)) {
      try (JarFile file = new JarFile(jar.toFile())) {
        String classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
        assertThat(classPath).isNotBlank();
        for (String entry : classPath.split(" ")) {
          assertThat(entry).startsWith("lib/");
          assertThat(jar.resolveSibling(entry)).as("packaged library " + entry).isRegularFile();
        }
      }
    }
  }
}
