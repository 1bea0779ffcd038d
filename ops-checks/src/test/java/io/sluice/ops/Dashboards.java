package io.sluice.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana dashboards under k8s/grafana and the PromQL they hold. */
final class Dashboards {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Names of metrics Sluice's services export (their own and the library families). */
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:sluice|kafka|jvm|process|system)_[a-zA-Z0-9_:]+)");

  /** One query of a dashboard: where it is and its PromQL. */
  record Query(String dashboard, String where, String expr) {
    /** The query as Grafana would send it, with the variables at "everything". */
    String resolved() {
      return expr.replace("$__rate_interval", "1m")
          .replace("$__range", "10m")
          .replace("$tenant", ".*")
          .replace("$track", ".*");
    }
  }

  private Dashboards() {}

  static List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(Repo.k8s().resolve("grafana"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  static JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  /** Every panel target's expression (rows' nested panels included). */
  static List<Query> panelQueries() throws IOException {
    List<Query> queries = new ArrayList<>();
    for (Path file : files()) {
      JsonNode dashboard = read(file);
      for (JsonNode panel : panels(dashboard)) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(
              new Query(
                  dashboard.path("title").asText(),
                  "panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                  target.path("expr").asText()));
        }
      }
    }
    return queries;
  }

  /** Annotation queries (promotions, rollbacks) and the variables' label_values queries. */
  static List<Query> otherQueries() throws IOException {
    List<Query> queries = new ArrayList<>();
    for (Path file : files()) {
      JsonNode dashboard = read(file);
      String title = dashboard.path("title").asText();
      for (JsonNode annotation : dashboard.path("annotations").path("list")) {
        if (annotation.has("expr")) {
          queries.add(
              new Query(
                  title,
                  "annotation '" + annotation.path("name").asText() + "'",
                  annotation.path("expr").asText()));
        }
      }
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        if (variable.path("type").asText().equals("query")) {
          queries.add(
              new Query(
                  title,
                  "variable " + variable.path("name").asText(),
                  variable.path("definition").asText()));
        }
      }
    }
    return queries;
  }

  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      out.add(panel);
      panel.path("panels").forEach(out::add);
    }
    return out;
  }

  /** The metric names an expression uses. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
