package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.Split;
import io.sluice.schemas.avro.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CuratorTopologyTest {

  @TempDir Path stateDir;
  private OfflineTopology curator;

  @BeforeEach
  void start() {
    curator = CuratorDriver.start(CuratorConfig.defaults(), stateDir);
  }

  @AfterEach
  void stop() {
    curator.close();
  }

  @Test
  void shouldMatchThePinnedTopologyDescription() throws IOException {
    String expected;
    try (InputStream in = getClass().getResourceAsStream("/curator-topology.txt")) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(CuratorTopology.build(CuratorConfig.defaults()).describe().toString().strip())
        .isEqualTo(expected.strip());
  }

  @Test
  void shouldCurateAnExampleWithLineageSplitAndHash() {
    curator.send(
        Events.example(
            "e1", "How do I reset my router?", "Hold the reset button for ten seconds."));

    KeyValue<String, CuratedExample> out = curator.curated().readKeyValue();
    assertThat(out.key).isEqualTo("acme/support");
    CuratedExample example = out.value;
    assertThat(example.getId()).isEqualTo("e1");
    assertThat(example.getKind()).isEqualTo(ExampleKind.SFT);
    assertThat(example.getCompletion()).isEqualTo("Hold the reset button for ten seconds.");
    assertThat(example.getContentHash()).hasSize(64);
    assertThat(example.getSplit()).isIn(Split.TRAIN, Split.HOLDOUT);
    assertThat(example.getLineage().getTopic()).isEqualTo("sluice.events.raw");
    assertThat(example.getLineage().getOffset()).isZero();
    assertThat(example.getEventTimestamp()).isEqualTo(Events.T0);
    assertThat(example.getCuratedAt()).isEqualTo(CuratorDriver.WALL_CLOCK);
    assertThat(curator.curated().isEmpty()).isTrue();
    assertThat(curator.rejected().isEmpty()).isTrue();
  }

  @Test
  void shouldRejectUnreadableBytesWithoutCopyingThem() {
    curator
        .raw()
        .pipeInput("acme/support", "call me at 555-867-5309".getBytes(StandardCharsets.UTF_8));

    KeyValue<String, RejectedEvent> out = curator.rejected().readKeyValue();
    assertThat(out.key).isNull();
    assertThat(out.value.getReason()).isEqualTo("UNREADABLE");
    assertThat(out.value.getStage()).isEqualTo(Stage.VALIDATE);
    assertThat(out.value.getContent()).isNull();
    assertThat(out.value.getDetail()).doesNotContain("867");
    assertThat(out.value.getLineage().getOffset()).isZero();
    assertThat(curator.rejected().isEmpty()).isTrue();
    assertThat(curator.curated().isEmpty()).isTrue();
  }

  @Test
  void shouldRejectInvalidEventsWithAnonymizedContentAndNoKey() {
    RawEvent invalid =
        Events.base("bad", EventType.example)
            .setTenant("Not A Tenant")
            .setPrompt("Mail me at jane.doe@example.com")
            .setCompletion("Sure.")
            .build();
    curator.send(invalid);

    KeyValue<String, RejectedEvent> out = curator.rejected().readKeyValue();
    assertThat(out.key).isNull();
    assertThat(out.value.getReason()).isEqualTo("INVALID_FIELD");
    assertThat(out.value.getDetail()).contains("/tenant");
    assertThat(out.value.getContent()).contains("<EMAIL_1>").doesNotContain("jane.doe@example.com");
    assertThat(out.value.getPiiCounts()).containsEntry("EMAIL", 1);
    assertThat(curator.curated().isEmpty()).isTrue();
  }

  @Test
  void shouldRejectEventsKeyedByAnythingButTheirTrack() {
    RawEvent event = Events.example("e1", "How do I reset my router?", "Hold the reset button.");
    curator.raw().pipeInput("acme/other", AvroSerde.of(RawEvent.class).serialize("t", event));

    RejectedEvent out = curator.rejected().readValue();
    assertThat(out.getReason()).isEqualTo("MISKEYED");
    assertThat(out.getSourceId()).isEqualTo("e1");
    assertThat(curator.curated().isEmpty()).isTrue();
  }

  @Test
  void shouldValidateWithTheConfiguredEventLimits() {
    curator.close();
    CuratorConfig strict =
        CuratorConfig.load(
            Optional.empty(), Map.of(), Map.of(CuratorConfig.MAX_TEXT_LENGTH_CONFIG, "20"));
    curator = CuratorDriver.start(strict, stateDir.resolve("strict"));

    curator.send(Events.example("short", "Reset?", "Hold the button."));
    curator.send(
        Events.example("long", "How do I reset my router after the update?", "Hold the button."));

    assertThat(curator.curated().readValue().getSourceId()).isEqualTo("short");
    RejectedEvent out = curator.rejected().readValue();
    assertThat(out.getSourceId()).isEqualTo("long");
    assertThat(out.getReason()).isEqualTo("INVALID_FIELD");
    assertThat(out.getDetail()).contains("20");
  }

  @Test
  void shouldTurnADownVoteIntoAnAnonymizedUndesirableVote() {
    curator.send(Events.feedback("f1", "Reset?", "Call 212-555-0199 for help.", "down", null));

    CuratedExample out = curator.curated().readValue();
    assertThat(out.getId()).isEqualTo("f1#binary");
    assertThat(out.getKind()).isEqualTo(ExampleKind.BINARY_FEEDBACK);
    assertThat(out.getLabel()).isEqualTo(FeedbackLabel.UNDESIRABLE);
    assertThat(out.getCompletion()).contains("<PHONE_1>").doesNotContain("555-0199");
    assertThat(out.getChosen()).isNull();
    assertThat(curator.curated().isEmpty()).isTrue();
    assertThat(curator.rejected().isEmpty()).isTrue();
  }

  @Test
  void shouldTurnACorrectionIntoTwoRecordsWithConsistentPlaceholders() {
    curator.send(
        Events.feedback(
            "f2",
            "My email is jane.doe@example.com, why no invoice?",
            "We emailed it.",
            "down",
            "We sent it to jane.doe@example.com; check your spam folder."));

    List<CuratedExample> out = curator.curated().readValuesToList();
    assertThat(out).extracting(CuratedExample::getId).containsExactly("f2#sft", "f2#preference");
    CuratedExample sft = out.get(0);
    CuratedExample pair = out.get(1);
    assertThat(sft.getPrompt().toString()).contains("<EMAIL_1>").doesNotContain("jane.doe");
    assertThat(sft.getCompletion()).isEqualTo("We sent it to <EMAIL_1>; check your spam folder.");
    assertThat(pair.getChosen()).isEqualTo(sft.getCompletion());
    assertThat(pair.getRejected()).isEqualTo("We emailed it.");
    assertThat(sft.getPiiCounts()).containsEntry("EMAIL", 1);
    assertThat(curator.rejected().isEmpty()).isTrue();
  }

  @Test
  void shouldAnonymizeChatPromptsTurnByTurn() {
    RawEvent chat =
        Events.chatExample(
            "c1",
            "You are Acme's bot.",
            "I'm at 10.0.0.12, my name is Maria Lopez.",
            "Thanks Maria Lopez, rebooting 10.0.0.12 now.");
    curator.send(chat);

    CuratedExample out = curator.curated().readValue();
    @SuppressWarnings("unchecked")
    List<ChatMessage> turns = (List<ChatMessage>) out.getPrompt();
    assertThat(turns).extracting(ChatMessage::getRole).containsExactly(Role.system, Role.user);
    assertThat(turns.get(1).getContent())
        .contains("<IP_1>")
        .contains("<NAME_1>")
        .doesNotContain("Maria");
    assertThat(out.getCompletion()).contains("<IP_1>").doesNotContain("Maria");
  }

  @Test
  void shouldRejectLowQualityCandidatesAtTheFilterStage() {
    curator.send(Events.example("e1", "How do I reset my router?", "k"));

    RejectedEvent out = curator.rejected().readValue();
    assertThat(out.getReason()).isEqualTo("TOO_SHORT");
    assertThat(out.getStage()).isEqualTo(Stage.FILTER);
    assertThat(out.getContent()).contains("\"completion\":\"k\"");
    assertThat(curator.curated().isEmpty()).isTrue();
  }

  @Test
  void shouldRejectADuplicateNamingTheRecordItDuplicates() {
    curator.send(
        Events.example(
            "e1", "How do I reset my router?", "Hold the reset button for ten seconds."));
    curator.send(
        Events.example("e2", "how do I reset my router", "Hold the reset button for ten seconds!"));

    assertThat(curator.curated().readValue().getId()).isEqualTo("e1");
    RejectedEvent out = curator.rejected().readValue();
    assertThat(out.getReason()).isEqualTo("DUPLICATE");
    assertThat(out.getStage()).isEqualTo(Stage.DEDUPLICATE);
    assertThat(out.getDuplicateOf()).isEqualTo("e1");
    assertThat(out.getSourceId()).isEqualTo("e2");
    assertThat(out.getLineage().getOffset()).isEqualTo(1);
    assertThat(curator.curated().isEmpty()).isTrue();
  }

  @Test
  void shouldNotTreatTheSameTextInAnotherTenantAsADuplicate() {
    curator.send(Events.example("e1", "How do I reset my router?", "Hold the reset button."));
    curator.send(
        Events.base("e2", EventType.example)
            .setTenant("globex")
            .setPrompt("How do I reset my router?")
            .setCompletion("Hold the reset button.")
            .build());

    assertThat(curator.curated().readValuesToList())
        .extracting(CuratedExample::getTenant)
        .containsExactly("acme", "globex");
    assertThat(curator.rejected().isEmpty()).isTrue();
  }

  @Test
  void shouldBoundTheDedupStoreByTheTrackCap() {
    curator.close();
    CuratorConfig capped =
        CuratorConfig.load(
            Optional.empty(), Map.of(), Map.of(CuratorConfig.MAX_ENTRIES_PER_TRACK_CONFIG, "5"));
    curator = CuratorDriver.start(capped, stateDir.resolve("capped"));
    for (int i = 0; i < 20; i++) {
      curator.send(
          Events.example(
              "e" + i,
              "Question number " + i + " about routers?",
              "Answer " + i + " is to restart device " + i + "."));
    }

    assertThat(curator.curated().readValuesToList()).hasSize(20);
    assertThat(entries("acme/support/SFT")).hasSize(5);
    curator.send(
        Events.example(
            "again", "Question number 19 about routers?", "Answer 19 is to restart device 19."));
    assertThat(curator.rejected().readValue().getDuplicateOf()).isEqualTo("e19");
  }

  @Test
  void shouldSweepExpiredEntriesOnTheWallClockPunctuator() {
    curator.send(Events.example("e1", "How do I reset my router?", "Hold the reset button."));
    RawEvent later =
        Events.base("e2", EventType.example)
            .setTimestamp(Events.T0.plus(Duration.ofDays(40)))
            .setPrompt("Where is my invoice for March?")
            .setCompletion("Under Billing, then Invoices.")
            .build();
    curator.send(later);
    assertThat(entries("acme/support/SFT"))
        .hasSize(1)
        .as("the insert already expired the old entry");

    curator.close();
    curator = CuratorDriver.start(CuratorConfig.defaults(), stateDir.resolve("sweep"));
    curator.send(Events.example("e1", "How do I reset my router?", "Hold the reset button."));
    curator.send(
        Events.base("e3", EventType.example)
            .setTenant("globex")
            .setTimestamp(Events.T0.plus(Duration.ofDays(40)))
            .setPrompt("Where is my invoice for March?")
            .setCompletion("Under Billing, then Invoices.")
            .build());
    assertThat(entries("acme/support/SFT"))
        .as("another track's insert leaves acme alone")
        .hasSize(1);

    curator.driver().advanceWallClockTime(Duration.ofDays(60));

    assertThat(entries("acme/support/SFT")).isEmpty();
    curator.send(Events.example("e4", "How do I reset my router?", "Hold the reset button."));
    assertThat(curator.curated().readValuesToList())
        .extracting(CuratedExample::getId)
        .endsWith("e4");
  }

  @Test
  void shouldPutIdenticalContentOnTheSameSideAcrossRuns() {
    curator.send(Events.example("e1", "How do I reset my router?", "Hold the reset button."));
    Split first = curator.curated().readValue().getSplit();
    curator.close();
    curator = CuratorDriver.start(CuratorConfig.defaults(), stateDir.resolve("again"));
    curator.send(Events.example("other-id", "How do I reset my router?", "Hold the reset button."));

    assertThat(curator.curated().readValue().getSplit()).isEqualTo(first);
  }

  /** Keys of the dedup store's entries of one scope (the scope's UTF-8 bytes, then a 0 byte). */
  private List<Bytes> entries(String scope) {
    KeyValueStore<Bytes, byte[]> store =
        curator.driver().getKeyValueStore(CuratorTopology.DEDUP_STORE);
    byte[] prefix = (scope + "\0").getBytes(StandardCharsets.UTF_8);
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(prefix, new ByteArraySerializer())) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }
}
