package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.io.ChatTurn;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.Split;
import io.sluice.schemas.event.ChatMessages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldoutStoreTest {
  @TempDir Path dir;

  private static HoldoutItem item(String id) {
    return new HoldoutItem(id, List.of(ChatTurn.user("q " + id)), "a " + id, null);
  }

  @Test
  void shouldKeepTheNewestItemsPerTrackApartAndSurviveARestart() {
    HoldoutStore store = HoldoutStore.open(dir, 3);
    for (int i = 0; i < 5; i++) {
      store.add("acme/support", item("a" + i));
    }
    store.add("globex/support", item("g0"));
    store.add("acme/support", item("a4")); // re-read record
    store.position(2, 17);
    store.save();

    HoldoutStore reopened = HoldoutStore.open(dir, 3);
    assertThat(reopened.snapshot("acme/support"))
        .extracting(HoldoutItem::id)
        .containsExactly("a2", "a3", "a4");
    assertThat(reopened.snapshot("globex/support"))
        .extracting(HoldoutItem::id)
        .containsExactly("g0");
    assertThat(reopened.snapshot("acme/billing")).isEmpty();
    assertThat(reopened.positions()).containsEntry(2, 17L);
    assertThat(HoldoutStore.hash(reopened.snapshot("acme/support")))
        .isEqualTo(HoldoutStore.hash(store.snapshot("acme/support")));
    assertThat(HoldoutStore.hash(reopened.snapshot("acme/support")))
        .isNotEqualTo(HoldoutStore.hash(reopened.snapshot("globex/support")));
  }

  @Test
  void shouldKeepAVoteThroughARestartAndReadStateWrittenBeforeVotesExisted() throws Exception {
    HoldoutStore store = HoldoutStore.open(dir, 3);
    store.add(
        "acme/support", new HoldoutItem("v", List.of(ChatTurn.user("q")), "No.", null, false));
    store.save();
    assertThat(HoldoutStore.open(dir, 3).snapshot("acme/support"))
        .singleElement()
        .satisfies(i -> assertThat(i.desirable()).isFalse());

    java.nio.file.Files.writeString(
        dir.resolve("holdouts.json"),
        "{\"positions\": {\"0\": 3}, \"tracks\": {\"acme/support\":"
            + " [{\"id\": \"s\", \"messages\": [{\"role\": \"user\", \"content\": \"q\"}], \"answer\": \"a\","
            + " \"rejected\": null}]}}");
    assertThat(HoldoutStore.open(dir, 3).snapshot("acme/support"))
        .singleElement()
        .satisfies(i -> assertThat(i.isVote()).isFalse());
  }

  private static CuratedExample.Builder curated(Split split) {
    return CuratedExample.newBuilder()
        .setId("c1")
        .setSourceId("s1")
        .setTenant("acme")
        .setTrack("support")
        .setKind(ExampleKind.SFT)
        .setOrigin(Origin.EXAMPLE)
        .setPrompt("Hi?")
        .setCompletion("Hello.")
        .setSplit(split)
        .setContentHash("h")
        .setLineage(new Lineage("sluice.events.raw", 0, 0L))
        .setEventTimestamp(Instant.EPOCH)
        .setCuratedAt(Instant.EPOCH);
  }

  @Test
  void shouldMapHoldoutRecordsOnly() {
    assertThat(HoldoutItem.from(curated(Split.TRAIN).build())).isEmpty();
    HoldoutItem sft = HoldoutItem.from(curated(Split.HOLDOUT).build()).orElseThrow();
    assertThat(sft.messages()).containsExactly(ChatTurn.user("Hi?"));
    assertThat(sft.isPair()).isFalse();
    HoldoutItem pair =
        HoldoutItem.from(
                curated(Split.HOLDOUT)
                    .setKind(ExampleKind.PREFERENCE)
                    .setCompletion(null)
                    .setPrompt(
                        List.of(
                            ChatMessages.of(Role.system, "Be brief."),
                            ChatMessages.of(Role.user, "Hi?")))
                    .setChosen("Hello.")
                    .setRejected("Go away.")
                    .build())
            .orElseThrow();
    assertThat(pair.isPair()).isTrue();
    assertThat(pair.messages()).hasSize(2);
    assertThat(pair.answer()).isEqualTo("Hello.");
  }

  @Test
  void shouldLeaveRecordsWithToolCallsOutOfTheTextHoldout() {
    var call = new io.sluice.schemas.avro.ToolCall("c1", "refund", "{}");
    assertThat(
            HoldoutItem.from(
                curated(Split.HOLDOUT)
                    .setCompletion("")
                    .setCompletionToolCalls(List.of(call))
                    .build()))
        .isEmpty();
    assertThat(
            HoldoutItem.from(
                curated(Split.HOLDOUT)
                    .setTools(
                        List.of(
                            new io.sluice.schemas.avro.ToolDefinition("refund", null, null, null)))
                    .build()))
        .isEmpty();
  }
}
