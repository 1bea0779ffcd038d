package io.sluice.curator.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongMultiMapTest {

  private static List<Long> values(LongMultiMap map, long key) {
    List<Long> values = new ArrayList<>();
    map.forEach(key, values::add);
    return values;
  }

  @Test
  void shouldKeepSeveralValuesPerKeyAndRemoveOnePair() {
    LongMultiMap map = new LongMultiMap();
    map.put(7, 1);
    map.put(7, 2);
    map.put(8, 3);

    assertThat(values(map, 7)).containsExactlyInAnyOrder(1L, 2L);
    assertThat(map.remove(7, 1)).isTrue();
    assertThat(map.remove(7, 1)).isFalse();
    assertThat(values(map, 7)).containsExactly(2L);
    assertThat(values(map, 8)).containsExactly(3L);
    assertThat(map.size()).isEqualTo(2);
  }

  @Test
  void shouldAgreeWithAReferenceMapUnderRandomInsertsAndRemovals() {
    LongMultiMap map = new LongMultiMap();
    Map<Long, List<Long>> reference = new HashMap<>();
    Random random = new Random(3);
    for (int step = 0; step < 50_000; step++) {
      long key = random.nextInt(500);
      long value = random.nextInt(50);
      if (random.nextInt(3) == 0) {
        boolean removed = reference.getOrDefault(key, new ArrayList<>()).remove(value);
        assertThat(map.remove(key, value)).isEqualTo(removed);
      } else {
        reference.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        map.put(key, value);
      }
    }
    for (long key = 0; key < 500; key++) {
      assertThat(values(map, key))
          .containsExactlyInAnyOrderElementsOf(reference.getOrDefault(key, List.of()));
    }
    assertThat(map.size()).isEqualTo(reference.values().stream().mapToInt(List::size).sum());
  }
}
