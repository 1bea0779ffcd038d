package io.sluice.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The table of docs/metrics.md, and where the services register their meters. */
final class MetricsReference {

  private MetricsReference() {}

  /** Metric name → {type, labels, meaning}. */
  static Map<String, String[]> read() throws IOException {
    String doc = Files.readString(Repo.root().resolve("docs/metrics.md"));
    String table =
        doc.substring(
            doc.indexOf("<!-- metrics-table:start -->"), doc.indexOf("<!-- metrics-table:end -->"));
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|", -1);
      String name = cells[1].trim().replace("`", "");
      if (rows.put(name, new String[] {cells[2].trim(), cells[3].trim(), cells[4].trim()})
          != null) {
        throw new IllegalStateException("docs/metrics.md lists " + name + " twice");
      }
    }
    return rows;
  }

  static Set<String> labels(String cell) {
    return cell.isBlank()
        ? Set.of()
        : Arrays.stream(cell.split(","))
            .map(String::trim)
            .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Whether some service's main source registers the meter: its Prometheus name, or the dotted name
   * Micrometer turns into it (without the {@code _total} suffix of counters).
   */
  static boolean registeredInSource(String prometheusName) {
    String base = prometheusName.replaceAll("_total$", "");
    List<String> spellings = List.of("\"" + base + "\"", "\"" + base.replace('_', '.') + "\"");
    try (Stream<Path> files = Files.walk(Repo.root())) {
      return files
          .filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
          .anyMatch(
              f -> {
                try {
                  String source = Files.readString(f);
                  return spellings.stream().anyMatch(source::contains);
                } catch (IOException e) {
                  return false;
                }
              });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
