package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.curator.convert.FeedbackConverter;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split stage keeps the records one source yields together: an up-vote's SFT example and its
 * DESIRABLE vote, a correction's SFT example and its preference pair. Held out apart, the evaluator
 * would score a holdout item whose twin the trainer learned.
 */
class HoldoutSplitTopologyTest {

  /** Half held out: a split that ignored twins would separate half of them. */
  private static final String HALF = "0.5";

  private static final List<String> WORDS =
      List.of(
          "router",
          "invoice",
          "password",
          "delivery",
          "refund",
          "account",
          "printer",
          "battery",
          "screen",
          "warranty",
          "subscription",
          "network",
          "cable",
          "charger",
          "settings",
          "update",
          "login",
          "payment",
          "order",
          "address",
          "signal",
          "bluetooth",
          "speaker",
          "camera",
          "storage",
          "backup",
          "license",
          "keyboard",
          "mouse",
          "monitor",
          "firmware",
          "modem",
          "plan",
          "discount",
          "coupon",
          "shipping",
          "tracking",
          "return",
          "exchange",
          "receipt",
          "profile",
          "email",
          "calendar",
          "contact",
          "message",
          "folder",
          "download");

  @TempDir Path stateDir;
  private OfflineTopology curator;

  @BeforeEach
  void start() {
    CuratorConfig config =
        CuratorConfig.load(
            Optional.empty(), Map.of(), Map.of(CuratorConfig.HOLDOUT_FRACTION_CONFIG, HALF));
    curator = CuratorDriver.start(config, stateDir);
  }

  @AfterEach
  void stop() {
    curator.close();
  }

  @Test
  void shouldPutBothRecordsOfAnUpVoteOnOneSide() {
    Random random = new Random(14);
    for (int i = 0; i < 40; i++) {
      curator.send(Events.feedback("up-" + i, question(random), answer(random), "up", null));
    }

    Map<String, List<Split>> sides = sidesBySource(curator.curated().readValuesToList());

    assertThat(sides).hasSize(40);
    sides.forEach(
        (source, twins) -> assertThat(twins).as(source).hasSize(2).containsOnly(twins.get(0)));
    assertBothSidesUsed(sides);
    assertThat(curator.rejected().isEmpty()).isTrue();
  }

  @Test
  void shouldPutBothRecordsOfACorrectionOnOneSide() {
    Random random = new Random(15);
    for (int i = 0; i < 40; i++) {
      curator.send(
          Events.feedback("fix-" + i, question(random), answer(random), "down", answer(random)));
    }

    Map<String, List<Split>> sides = sidesBySource(curator.curated().readValuesToList());

    assertThat(sides).hasSize(40);
    sides.forEach(
        (source, twins) -> assertThat(twins).as(source).hasSize(2).containsOnly(twins.get(0)));
    assertBothSidesUsed(sides);
    assertThat(curator.rejected().isEmpty()).isTrue();
  }

  @Test
  void shouldStillSplitDifferentAnswersToOnePromptByTheirContent() {
    Random random = new Random(16);
    String prompt = question(random);
    for (int i = 0; i < 40; i++) {
      curator.send(Events.example("e-" + i, prompt, answer(random)));
    }

    TreeSet<Split> sides = new TreeSet<>();
    curator.curated().readValuesToList().forEach(e -> sides.add(e.getSplit()));

    assertThat(sides).containsExactlyInAnyOrder(Split.TRAIN, Split.HOLDOUT);
  }

  /** The split of every curated record, grouped by the source event that yielded it. */
  private static Map<String, List<Split>> sidesBySource(List<CuratedExample> curated) {
    Map<String, List<Split>> sides = new HashMap<>();
    for (CuratedExample example : curated) {
      String source = example.getSourceId();
      assertThat(example.getId())
          .isIn(
              source + FeedbackConverter.SFT_SUFFIX,
              source + FeedbackConverter.BINARY_SUFFIX,
              source + FeedbackConverter.PREFERENCE_SUFFIX);
      sides.computeIfAbsent(source, k -> new ArrayList<>()).add(example.getSplit());
    }
    return sides;
  }

  /** Not one side for everything: the check above would hold for a split that held out nothing. */
  private static void assertBothSidesUsed(Map<String, List<Split>> sides) {
    TreeSet<Split> used = new TreeSet<>();
    sides.values().forEach(used::addAll);
    assertThat(used).containsExactlyInAnyOrder(Split.TRAIN, Split.HOLDOUT);
  }

  private static String question(Random random) {
    return "how do i fix the " + words(random, 8) + "?";
  }

  private static String answer(Random random) {
    return "open the " + words(random, 10) + " and try again.";
  }

  private static String words(Random random, int count) {
    StringJoiner text = new StringJoiner(" ");
    for (int i = 0; i < count; i++) {
      text.add(WORDS.get(random.nextInt(WORDS.size())));
    }
    return text.toString();
  }
}
