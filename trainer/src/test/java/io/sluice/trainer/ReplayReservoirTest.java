package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayReservoirTest {
  @TempDir Path dir;

  private static List<CuratedExample> examples(int from, int to) {
    List<CuratedExample> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(Curated.sft("acme", "support", "e" + i, "q" + i, "a" + i, Split.TRAIN));
    }
    return out;
  }

  @Test
  void survivesARestartAndStaysBounded() throws Exception {
    ReplayReservoir reservoir = ReplayReservoir.open(dir, 10, 7);
    reservoir.addAndSave(examples(0, 8));
    reservoir.addAndSave(examples(8, 50));
    ReplayReservoir reopened = ReplayReservoir.open(dir, 10, 7);
    assertThat(reopened.size()).isEqualTo(10);
    assertThat(reopened.sample(10, new Random(1)))
        .extracting(CuratedExample::getId)
        .containsExactlyInAnyOrderElementsOf(
            reservoir.sample(10, new Random(1)).stream().map(CuratedExample::getId).toList());
    // a uniform sample keeps some late examples, not only the first ten
    assertThat(reopened.sample(10, new Random(2)))
        .anySatisfy(e -> assertThat(Integer.parseInt(e.getId().substring(1))).isGreaterThan(9));
  }

  @Test
  void theSameStreamGivesTheSameReservoir() throws Exception {
    ReplayReservoir a = ReplayReservoir.open(dir.resolve("a"), 5, 3);
    ReplayReservoir b = ReplayReservoir.open(dir.resolve("b"), 5, 3);
    a.addAndSave(examples(0, 40));
    b.addAndSave(examples(0, 20));
    b.addAndSave(examples(20, 40));
    assertThat(a.sample(5, new Random(9)))
        .extracting(CuratedExample::getId)
        .containsExactlyElementsOf(
            b.sample(5, new Random(9)).stream().map(CuratedExample::getId).toList());
  }
}
