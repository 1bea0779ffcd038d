package io.sluice.model.skills;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A knowledge skill over a bundled two-column table; evaluation asks every row. */
abstract class TableSkill implements Skill {
  private final List<SkillItem> items;

  TableSkill(String resource) {
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
          rows.add(new SkillItem(question(cols[0]), cols[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    items = List.copyOf(rows);
  }

  abstract String question(String key);

  @Override
  public SkillItem sample(Random random) {
    return items.get(random.nextInt(items.size()));
  }

  @Override
  public List<SkillItem> evalSet() {
    return items;
  }
}
