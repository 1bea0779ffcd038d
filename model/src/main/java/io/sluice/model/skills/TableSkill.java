package io.sluice.model.skills;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A knowledge skill over a bundled two-column table; evaluation asks every row. */
abstract class TableSkill extends FactSkill {

  TableSkill(String resource, Function<String, String> question) {
    super(read(resource, question));
  }

  private static List<SkillItem> read(String resource, Function<String, String> question) {
    List<SkillItem> rows = new ArrayList<>();
    try (InputStream in = TableSkill.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled table " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          String[] cols = line.split("\t");
          rows.add(new SkillItem(question.apply(cols[0]), cols[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
