package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alert rules pass promtool's checks, and every alert has a unit test that fires it and one
 * that does not.
 */
class PromtoolTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Path> ruleFiles() throws IOException {
    try (Stream<Path> files = Files.list(Repo.k8s().resolve("prometheus"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().endsWith(".test.yaml"))
          .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(Repo.k8s().resolve("prometheus"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".test.yaml")).sorted().toList();
    }
  }

  /** Alert name to expression, over every rule file. */
  static List<String[]> alerts() throws IOException {
    List<String[]> alerts = new ArrayList<>();
    for (Path file : ruleFiles()) {
      for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (rule.has("alert")) {
            alerts.add(new String[] {rule.path("alert").asText(), rule.path("expr").asText()});
          }
        }
      }
    }
    return alerts;
  }

  @Test
  void shouldPassPromtoolCheckRules() throws Exception {
    Path promtool = promtool();
    List<String> command = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
    ruleFiles().forEach(f -> command.add(f.toString()));
    assertThat(ruleFiles()).isNotEmpty();
    Result result = run(command);
    assertThat(result.code).as(result.output).isZero();
  }

  @Test
  void shouldPassPromtoolTestRules() throws Exception {
    Path promtool = promtool();
    List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
    testFiles().forEach(f -> command.add(f.toString()));
    assertThat(testFiles()).isNotEmpty();
    Result result = run(command);
    assertThat(result.code).as(result.output).isZero();
    assertThat(result.output).contains("SUCCESS");
  }

  @Test
  void shouldTestEveryAlertFiringAndNotFiring() throws IOException {
    Set<String> fires = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (Path file : testFiles()) {
      for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String name = check.path("alertname").asText();
          (check.path("exp_alerts").isEmpty() ? silent : fires).add(name);
        }
      }
    }
    Set<String> names = new TreeSet<>();
    alerts().forEach(a -> names.add(a[0]));
    assertThat(names).hasSize(6);
    assertThat(fires).as("alerts with a firing case").containsAll(names);
    assertThat(silent).as("alerts with a not-firing case").containsAll(names);
  }

  @Test
  void shouldRejectABrokenRuleFile() throws Exception {
    // The check above means something: promtool refuses a rule with bad PromQL.
    Path promtool = promtool();
    Path broken = Files.createTempFile("broken", ".yaml");
    Files.writeString(
        broken,
        "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m])\n");
    Result result = run(List.of(promtool.toString(), "check", "rules", broken.toString()));
    assertThat(result.code).as(result.output).isNotZero();
  }

  private static Path promtool() {
    var tool = Repo.tool("promtool");
    assumeTrue(tool.isPresent(), Repo.missingToolMessage("promtool"));
    return tool.get();
  }

  record Result(int code, String output) {}

  static Result run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .directory(Repo.k8s().resolve("prometheus").toFile())
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }
}
