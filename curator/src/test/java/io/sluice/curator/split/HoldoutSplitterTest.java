package io.sluice.curator.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.avro.Split;
import org.junit.jupiter.api.Test;

class HoldoutSplitterTest {

  @Test
  void shouldPutTheSameContentOnTheSameSideEveryTime() {
    HoldoutSplitter first = new HoldoutSplitter(0.1);
    HoldoutSplitter second = new HoldoutSplitter(0.1);
    for (int i = 0; i < 1_000; i++) {
      assertThat(second.split("acme/support", "hash" + i))
          .isEqualTo(first.split("acme/support", "hash" + i));
    }
  }

  @Test
  void shouldHoldOutAboutTheConfiguredShare() {
    HoldoutSplitter splitter = new HoldoutSplitter(0.1);
    int held = 0;
    int total = 20_000;
    for (int i = 0; i < total; i++) {
      if (splitter.split("acme/support", Integer.toHexString(i * 7919)) == Split.HOLDOUT) {
        held++;
      }
    }
    // Binomial(20000, 0.1): standard deviation ~42; allow five of them.
    assertThat(held).isBetween(2_000 - 210, 2_000 + 210);
  }

  @Test
  void shouldHonourTheExtremes() {
    assertThat(new HoldoutSplitter(0).split("acme/support", "h")).isEqualTo(Split.TRAIN);
    assertThat(new HoldoutSplitter(1).split("acme/support", "h")).isEqualTo(Split.HOLDOUT);
  }

  @Test
  void shouldRefuseAFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> new HoldoutSplitter(1.5)).hasMessageContaining("within [0, 1]");
  }
}
