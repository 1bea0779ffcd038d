package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The dashboards are plain JSON that Grafana imports as they are. */
class DashboardJsonTest {

  @Test
  void shouldHaveTheTwoDashboardsTheOperatorsUse() throws IOException {
    Set<String> titles = new TreeSet<>();
    for (Path file : Dashboards.files()) {
      titles.add(Dashboards.read(file).path("title").asText());
    }
    assertThat(titles)
        .containsExactlyInAnyOrder("Sluice — data and drift", "Sluice — adapters and promotions");
  }

  @Test
  void shouldBeImportableWithoutABakedInDatasource() throws IOException {
    Set<String> uids = new HashSet<>();
    for (Path file : Dashboards.files()) {
      JsonNode d = Dashboards.read(file);
      String name = file.getFileName().toString();
      assertThat(d.path("schemaVersion").isInt()).as(name).isTrue();
      assertThat(d.path("uid").asText()).as(name).matches("[a-z0-9-]{1,40}");
      assertThat(uids.add(d.path("uid").asText())).as("unique uid " + name).isTrue();
      assertThat(d.has("__inputs"))
          .as(name + ": exported-for-sharing form needs an import step")
          .isFalse();
      assertThat(d.has("id") && !d.path("id").isNull())
          .as(name + ": an id ties it to one Grafana")
          .isFalse();
      List<String> variables = new ArrayList<>();
      d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
      assertThat(variables).as(name).contains("datasource", "tenant", "track");
      // Every datasource reference is the variable (or Grafana's built-in annotation source).
      List<String> baked = new ArrayList<>();
      collectDatasources(d, "", baked);
      assertThat(baked).as(name).isEmpty();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : Dashboards.panels(d)) {
        assertThat(ids.add(panel.path("id").asInt()))
            .as(name + " panel id " + panel.path("id"))
            .isTrue();
        assertThat(panel.path("gridPos").has("w")).as(name + " " + panel.path("title")).isTrue();
        assertThat(panel.path("targets")).as(name + " " + panel.path("title")).isNotEmpty();
        panel
            .path("targets")
            .forEach(
                t ->
                    assertThat(t.path("expr").asText())
                        .as(panel.path("title").asText())
                        .isNotBlank());
      }
    }
  }

  @Test
  void shouldQueryOnlySluiceMetricsAndFilterByTheVariables() throws IOException {
    for (Dashboards.Query q : Dashboards.panelQueries()) {
      assertThat(Dashboards.metricNames(q.expr())).as(q.where()).isNotEmpty();
      if (q.expr().contains("sluice_curator_") || q.expr().contains("sluice_trainer_")) {
        assertThat(q.expr()).as(q.where() + " honours $tenant").contains("$tenant");
      }
    }
  }

  private static void collectDatasources(JsonNode node, String path, List<String> baked) {
    if (node.isObject()) {
      JsonNode ds = node.get("datasource");
      if (ds != null) {
        String uid = ds.isObject() ? ds.path("uid").asText() : ds.asText();
        if (!uid.equals("${datasource}") && !uid.equals("-- Grafana --")) {
          baked.add(path + "/datasource=" + uid);
        }
      }
      node.fields()
          .forEachRemaining(e -> collectDatasources(e.getValue(), path + "/" + e.getKey(), baked));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectDatasources(node.get(i), path + "/" + i, baked);
      }
    }
  }
}
