package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.model.BatchScoring;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainScorerTest {

  @Test
  void shouldScoreAnswersAndPreferencePairsOnTheSameItems() {
    List<ChatTurn> sum = List.of(ChatTurn.user("What is 7+8?"));
    List<ChatTurn> capital = List.of(ChatTurn.user("Capital of France?"));
    List<HoldoutItem> items =
        List.of(
            new HoldoutItem("sft", sum, "15", null),
            new HoldoutItem("pair", capital, "Paris", "Berlin"));
    DomainScores scores = DomainScorer.score(Fixtures.lm(), Adaptation.NONE, items, 8, 16);

    List<TokenizedExample> examples =
        List.of(
            Fixtures.lm().tokenizer().encodeExample(sum, "15"),
            Fixtures.lm().tokenizer().encodeExample(capital, "Paris"),
            Fixtures.lm().tokenizer().encodeExample(capital, "Berlin"));
    List<BatchScoring.AnswerLogProb> alone =
        BatchScoring.answerLogProbs(Fixtures.lm(), Adaptation.NONE, examples, 1);
    assertThat(scores.perItem()[0]).isCloseTo(alone.get(0).mean(), within(1e-4));
    // a pair's gate score is the chosen answer's per-token log-probability minus the rejected one's
    assertThat(scores.perItem()[1])
        .isCloseTo(alone.get(1).mean() - alone.get(2).mean(), within(1e-4));
    assertThat(scores.perItem()[1]).isGreaterThan(0);
    // the default model knows both facts
    assertThat(scores.exactMatch()).isEqualTo(1.0);
    assertThat(scores.tokenF1()).isEqualTo(1.0);
    assertThat(scores.preferenceAccuracy()).isEqualTo(1.0);
    Map<String, Double> map = scores.asMap();
    assertThat(map)
        .containsKeys(
            "gate_score",
            "answer_logprob",
            "loss",
            "exact_match",
            "token_f1",
            "preference_accuracy");
    assertThat(map.get("loss")).isEqualTo(-map.get("answer_logprob"));
  }

  @Test
  void shouldScoreHeldOutVotesAsAMarginBetweenUpAndDownVotedResponses() {
    List<ChatTurn> sum = List.of(ChatTurn.user("What is 7+8?"));
    List<ChatTurn> capital = List.of(ChatTurn.user("Capital of France?"));
    List<HoldoutItem> items =
        List.of(
            new HoldoutItem("sft", sum, "15", null),
            new HoldoutItem("up", capital, "Paris", null, true),
            new HoldoutItem("down", capital, "Berlin", null, false));
    DomainScores scores = DomainScorer.score(Fixtures.lm(), Adaptation.NONE, items, 8, 16);

    List<BatchScoring.AnswerLogProb> alone =
        BatchScoring.answerLogProbs(
            Fixtures.lm(),
            Adaptation.NONE,
            List.of(
                Fixtures.lm().tokenizer().encodeExample(sum, "15"),
                Fixtures.lm().tokenizer().encodeExample(capital, "Paris"),
                Fixtures.lm().tokenizer().encodeExample(capital, "Berlin")),
            1);
    // an up-voted response counts as itself, a down-voted one negated: raising the first and
    // lowering the second both raise the gate's per-item difference
    assertThat(scores.perItem()[1]).isCloseTo(alone.get(1).mean(), within(1e-4));
    assertThat(scores.perItem()[2]).isCloseTo(-alone.get(2).mean(), within(1e-4));
    assertThat(scores.votes()).isEqualTo(2);
    assertThat(scores.voteMargin())
        .isCloseTo(alone.get(1).mean() - alone.get(2).mean(), within(1e-4));
    assertThat(scores.voteMargin()).as("the default model knows Paris").isGreaterThan(0);
    // a down-voted response is no reference answer: exact match covers the two others only
    assertThat(scores.exactMatch()).isEqualTo(1.0);
    assertThat(scores.answerLogProb())
        .isCloseTo((alone.get(0).mean() + alone.get(1).mean()) / 2, within(1e-4));
    Map<String, Double> map = scores.asMap();
    assertThat(map)
        .containsEntry("votes", 2.0)
        .containsKey("vote_margin")
        .doesNotContainKey("pairs");
  }

  @Test
  void shouldReadAHeldOutVoteFromItsCuratedRecord() {
    var record =
        io.sluice.schemas.avro.CuratedExample.newBuilder()
            .setId("f#binary")
            .setSourceId("f")
            .setTenant("acme")
            .setTrack("support")
            .setKind(io.sluice.schemas.avro.ExampleKind.BINARY_FEEDBACK)
            .setOrigin(io.sluice.schemas.avro.Origin.FEEDBACK_VOTE)
            .setPrompt("Reset?")
            .setCompletion("No idea.")
            .setLabel(io.sluice.schemas.avro.FeedbackLabel.UNDESIRABLE)
            .setSplit(io.sluice.schemas.avro.Split.HOLDOUT)
            .setContentHash("h")
            .setLineage(new io.sluice.schemas.avro.Lineage("t", 0, 0L))
            .setEventTimestamp(java.time.Instant.EPOCH)
            .setCuratedAt(java.time.Instant.EPOCH)
            .build();
    HoldoutItem item = HoldoutItem.from(record).orElseThrow();
    assertThat(item.isVote()).isTrue();
    assertThat(item.desirable()).isFalse();
    assertThat(item.answer()).isEqualTo("No idea.");
    assertThat(HoldoutStore.hash(List.of(item)))
        .isNotEqualTo(
            HoldoutStore.hash(
                List.of(new HoldoutItem(item.id(), item.messages(), item.answer(), null, true))));
  }

  @Test
  void tokenF1CountsSharedWordsIgnoringCaseAndPunctuation() {
    assertThat(DomainScorer.tokenF1("Open the app.", "open the APP")).isEqualTo(1.0);
    assertThat(DomainScorer.tokenF1("open settings", "open the app")).isCloseTo(0.4, within(1e-9));
    assertThat(DomainScorer.tokenF1("", "x")).isEqualTo(0.0);
    assertThat(DomainScorer.tokenF1("", "")).isEqualTo(1.0);
  }
}
