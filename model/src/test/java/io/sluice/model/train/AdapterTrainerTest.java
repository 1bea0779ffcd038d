package io.sluice.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import io.sluice.model.BatchScoring;
import io.sluice.model.GenerationOptions;
import io.sluice.model.LanguageModel;
import io.sluice.model.LlamaModel;
import io.sluice.model.TestModels;
import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.model.lora.LoraConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterTrainerTest {
  @TempDir Path dir;

  private LanguageModel tinyLanguageModel() throws Exception {
    return tinyLanguageModel(dir.resolve("base"));
  }

  /** The tiny random model these tests train, with its tokenizer written to {@code base}. */
  static LanguageModel tinyLanguageModel(Path base) throws Exception {
    TinyTokenizer.write(base);
    TextTokenizer tokenizer = TextTokenizer.load(base, ChatTemplate.chatMl());
    // A wide init: with 0.02 the tied head's logits stay near zero whatever LoRA does upstream.
    return new LanguageModel(
        LlamaModel.random(TestModels.tiny(), 9, 0.3, ai.djl.Device.cpu()), tokenizer, base);
  }

  private static TrainOptions fast(TrainingObjective objective, double lr, int epochs) {
    return new TrainOptions(
        objective,
        new LoraConfig(8, 16, 0, LoraConfig.ALL_LINEAR, false),
        epochs,
        4,
        2,
        lr,
        lr,
        0.1,
        0,
        1.0,
        0.1,
        64,
        1);
  }

  @Test
  void sftOnAToyTaskDrivesLossDownAndWritesPeftFiles() throws Exception {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      data.add(
          new TrainingExample.Sft(
              "s" + i, List.of(ChatTurn.user("Ticket " + i)), "resolved", i >= 14));
    }
    Path out = dir.resolve("adapter");
    try (LanguageModel lm = tinyLanguageModel()) {
      Map<String, float[]> before = new LinkedHashMap<>();
      lm.model().parameters().forEach((k, v) -> before.put(k, v.toFloatArray()));
      List<TrainingProgress> progress = new ArrayList<>();
      TrainResult result;
      try (TrainedAdapter trained =
          AdapterTrainer.train(lm, data, fast(TrainingObjective.AUTO, 1e-2, 16), progress::add)) {
        result = trained.result();
        trained.save(out, "sluice-test");
      }
      assertThat(result.objective()).isEqualTo(TrainingObjective.SFT);
      assertThat(result.trainExamples()).isEqualTo(14);
      assertThat(result.holdoutExamples()).isEqualTo(2);
      assertThat(result.finalLoss()).isLessThan(result.firstLoss() * 0.3);
      assertThat(result.holdoutLoss()).isLessThan(result.firstLoss() * 0.3);
      assertThat(progress).hasSize(result.steps());
      assertThat(progress.get(progress.size() - 1).step()).isEqualTo(progress.get(0).totalSteps());
      assertThat(out.resolve("adapter_config.json")).exists();
      assertThat(out.resolve("adapter_model.safetensors")).exists();
      assertThat(Files.readString(out.resolve("training_report.json")))
          .contains("\"objective\" : \"SFT\"");
      assertThat(result.lossCurve()).hasSize(result.steps());
      // the base is untouched
      Map<String, NDArray> after = lm.model().parameters();
      before.forEach((k, v) -> assertThat(after.get(k).toFloatArray()).containsExactly(v));
      // and the saved adapter now answers the toy task, while the base does not
      try (LoraAdapter adapter = LoraAdapter.load(lm.model(), out)) {
        assertThat(
                lm.chat(List.of(ChatTurn.user("Ticket 99")), adapter, GenerationOptions.greedy(12)))
            .isEqualTo("resolved");
        assertThat(
                lm.chat(
                    List.of(ChatTurn.user("Ticket 99")),
                    Adaptation.NONE,
                    GenerationOptions.greedy(12)))
            .isNotEqualTo("resolved");
      }
    }
  }

  @Test
  void multiTurnSftLearnsEveryTrainedAssistantTurnNotOnlyTheLast() throws Exception {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      List<ChatTurn> conversation =
          List.of(
              ChatTurn.user("Ticket " + i),
              new ChatTurn("assistant", "open", List.of(), null, true),
              ChatTurn.user("and now?"));
      data.add(new TrainingExample.Sft("m" + i, conversation, "shut", false));
    }
    try (LanguageModel lm = tinyLanguageModel()) {
      try (TrainedAdapter trained =
          AdapterTrainer.train(lm, data, fast(TrainingObjective.SFT, 1e-2, 24), p -> {})) {
        // the first turn was trained although it is not the record's completion
        assertThat(
                lm.chat(
                    List.of(ChatTurn.user("Ticket 99")),
                    trained.adapter(),
                    GenerationOptions.greedy(12)))
            .isEqualTo("open");
        assertThat(
                lm.chat(
                    List.of(ChatTurn.user("Ticket 99")),
                    Adaptation.NONE,
                    GenerationOptions.greedy(12)))
            .isNotEqualTo("open");
      }
    }
  }

  @Test
  void dpoStartsAtLn2AndLearnsThePreference() throws Exception {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      data.add(
          new TrainingExample.Preference(
              "p" + i, List.of(ChatTurn.user("Q" + i)), "yes", "no", false));
    }
    try (LanguageModel lm = tinyLanguageModel()) {
      TrainResult result;
      try (TrainedAdapter trained =
          AdapterTrainer.train(lm, data, fast(TrainingObjective.AUTO, 1e-2, 6), p -> {})) {
        result = trained.result();
      }
      assertThat(result.objective()).isEqualTo(TrainingObjective.DPO);
      // a fresh adapter is the reference policy, so every margin is 0 and the loss is ln 2
      assertThat(result.firstLoss())
          .isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(result.finalLoss()).isLessThan(0.5);
    }
  }

  @Test
  void mixedWindowRunsSftThenDpoOnOneAdapter() throws Exception {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      data.add(
          new TrainingExample.Sft(
              "s" + i, List.of(ChatTurn.user("Ticket " + i)), "resolved", false));
      data.add(
          new TrainingExample.Preference(
              "p" + i, List.of(ChatTurn.user("Q" + i)), "yes", "no", false));
    }
    try (LanguageModel lm = tinyLanguageModel();
        TrainedAdapter trained =
            AdapterTrainer.train(lm, data, fast(TrainingObjective.AUTO, 1e-2, 2), p -> {})) {
      assertThat(trained.result().objective()).isEqualTo(TrainingObjective.SFT_DPO);
      // SFT: 8 examples in micro-batches of 4, 2 per step, 2 epochs = 2 steps; DPO the same.
      assertThat(trained.result().steps()).isEqualTo(4);
      assertThat(trained.result().sftExamples()).isEqualTo(8);
      assertThat(trained.result().dpoPairs()).isEqualTo(8);
      assertThat(trained.report().get("sft_examples").asInt()).isEqualTo(8);
      assertThat(trained.report().get("dpo_pairs").asInt()).isEqualTo(8);
    }
  }

  @Test
  void dpoOnMixedDataIsRefusedRatherThanDroppingTheSftRecords() {
    List<TrainingExample> mixed =
        List.of(
            new TrainingExample.Sft("a", List.of(ChatTurn.user("x")), "y", false),
            new TrainingExample.Preference("b", List.of(ChatTurn.user("q")), "yes", "no", false),
            new TrainingExample.Sft("c", List.of(ChatTurn.user("x")), "y", true));
    assertThatThrownBy(() -> AdapterTrainer.resolve(TrainingObjective.DPO, mixed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 of the 2 TRAIN records are SFT examples")
        .hasMessageContaining("SFT_DPO");
    assertThat(AdapterTrainer.resolve(TrainingObjective.AUTO, mixed))
        .isEqualTo(TrainingObjective.SFT_DPO);
  }

  @Test
  void checkpointedTrainingGivesTheSameAdapter() throws Exception {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      data.add(
          new TrainingExample.Sft(
              "s" + i, List.of(ChatTurn.user("Ticket " + i)), "resolved", false));
      data.add(
          new TrainingExample.Preference(
              "p" + i, List.of(ChatTurn.user("Q" + i)), "yes", "no", false));
    }
    TrainOptions options = oneEpochWithDropout(TrainingObjective.SFT_DPO);
    try (LanguageModel lm = tinyLanguageModel();
        TrainedAdapter plain = AdapterTrainer.train(lm, data, options, p -> {});
        TrainedAdapter checkpointed =
            AdapterTrainer.train(lm, data, options.withCheckpointActivations(true), p -> {})) {
      assertThat(checkpointed.report().get("checkpoint_activations").asBoolean()).isTrue();
      Map<String, NDArray> a = plain.adapter().parameters();
      checkpointed
          .adapter()
          .parameters()
          .forEach(
              (k, v) ->
                  assertThat(v.toFloatArray())
                      .as(k)
                      .containsExactly(
                          a.get(k).toFloatArray(), org.assertj.core.data.Offset.offset(1e-4f)));
    }
  }

  @Test
  void sameSeedSameAdapterEvenWithDropout() throws Exception {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      data.add(
          new TrainingExample.Sft(
              "s" + i, List.of(ChatTurn.user("Ticket " + i)), "resolved", false));
    }
    TrainOptions options = oneEpochWithDropout(TrainingObjective.SFT);
    try (LanguageModel lm = tinyLanguageModel();
        TrainedAdapter first = AdapterTrainer.train(lm, data, options, p -> {});
        TrainedAdapter second = AdapterTrainer.train(lm, data, options, p -> {})) {
      Map<String, NDArray> a = first.adapter().parameters();
      second
          .adapter()
          .parameters()
          .forEach((k, v) -> assertThat(v.toFloatArray()).containsExactly(a.get(k).toFloatArray()));
    }
  }

  @Test
  void shortHeavilyPaddedBatchesKeepEveryGradientFinite() throws Exception {
    try (LanguageModel lm = tinyLanguageModel();
        TrainedAdapter trained =
            AdapterTrainer.train(lm, shortHeavilyPadded(), shortHeavilyPaddedOptions(), p -> {})) {
      assertThat(trained.result().skippedSteps()).isZero();
      assertThat(trained.result().lossCurve()).allSatisfy(l -> assertThat(l).isFinite());
    }
  }

  /** One epoch of batches of 4 with LoRA dropout 0.1, seed 5. */
  private static TrainOptions oneEpochWithDropout(TrainingObjective objective) {
    return new TrainOptions(
        objective,
        new LoraConfig(4, 8, 0.1, LoraConfig.ALL_LINEAR, false),
        1,
        4,
        1,
        1e-2,
        1e-2,
        0,
        0,
        1.0,
        0.1,
        64,
        5);
  }

  /** Short examples, a long one in four and an empty answer in three: mostly padding. */
  static List<TrainingExample> shortHeavilyPadded() {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String prompt = i % 4 == 0 ? "Ticket " + i + "x".repeat(40) : "T" + i;
      data.add(
          new TrainingExample.Sft(
              "s" + i, List.of(ChatTurn.user(prompt)), i % 3 == 0 ? "" : "ok", false));
    }
    return data;
  }

  static TrainOptions shortHeavilyPaddedOptions() {
    return new TrainOptions(
        TrainingObjective.SFT,
        new LoraConfig(4, 8, 0.05, LoraConfig.ALL_LINEAR, false),
        4,
        8,
        1,
        1e-2,
        1e-2,
        0,
        0,
        1.0,
        0.1,
        64,
        11);
  }

  /**
   * One answer style is always up-voted ("Sure: done"), another always down-voted ("No."), on
   * different prompts: KTO must raise the desirable style relative to the undesirable one on
   * prompts it never saw, measured against the reference (the base).
   */
  @Test
  void ktoOnUpAndDownVotesMovesTheMarginTheRightWayOnHeldOutPrompts() throws Exception {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      List<ChatTurn> prompt = List.of(ChatTurn.user("Ticket " + i));
      data.add(
          i % 2 == 0
              ? new TrainingExample.Binary("u" + i, prompt, "Sure: done", true, false)
              : new TrainingExample.Binary("d" + i, prompt, "No.", false, false));
    }
    TrainOptions options = fast(TrainingObjective.AUTO, 1e-2, 6);
    try (LanguageModel lm = tinyLanguageModel()) {
      double before = margin(lm, Adaptation.NONE);
      try (TrainedAdapter trained = AdapterTrainer.train(lm, data, options, p -> {})) {
        assertThat(trained.result().objective()).isEqualTo(TrainingObjective.KTO);
        assertThat(trained.result().ktoExamples()).isEqualTo(16);
        assertThat(trained.report().get("kto_examples").asInt()).isEqualTo(16);
        // a fresh adapter is the reference, so r = z0 = 0 and every loss is λ(1 − σ(0)) = 0.5
        assertThat(trained.result().firstLoss())
            .isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(trained.result().finalLoss()).isLessThan(0.45);
        double after = margin(lm, trained.adapter());
        assertThat(after - before)
            .as("margin before %s, after %s", before, after)
            .isGreaterThan(1.0);
      }
    }
  }

  /** Mean over held-out prompts of log p(desirable style) − log p(undesirable style), per token. */
  private static double margin(LanguageModel lm, Adaptation adaptation) {
    List<TokenizedExample> examples = new ArrayList<>();
    for (int i = 100; i < 108; i++) {
      examples.add(
          lm.tokenizer().encodeExample(List.of(ChatTurn.user("Ticket " + i)), "Sure: done"));
      examples.add(lm.tokenizer().encodeExample(List.of(ChatTurn.user("Ticket " + i)), "No."));
    }
    List<BatchScoring.AnswerLogProb> scores =
        BatchScoring.answerLogProbs(lm, adaptation, examples, 16);
    double total = 0;
    for (int i = 0; i < scores.size(); i += 2) {
      total += scores.get(i).mean() - scores.get(i + 1).mean();
    }
    return total / (scores.size() / 2.0);
  }

  @Test
  void objectivesMustFitTheVotesInTheData() {
    List<TrainingExample> mixed =
        List.of(
            new TrainingExample.Sft("a", List.of(ChatTurn.user("x")), "y", false),
            new TrainingExample.Preference("b", List.of(ChatTurn.user("q")), "yes", "no", false),
            new TrainingExample.Binary("c", List.of(ChatTurn.user("q")), "yes", true, false));
    assertThat(AdapterTrainer.resolve(TrainingObjective.AUTO, mixed))
        .isEqualTo(TrainingObjective.SFT_DPO_KTO);
    assertThat(AdapterTrainer.resolve(TrainingObjective.AUTO, mixed.subList(2, 3)))
        .isEqualTo(TrainingObjective.KTO);
    assertThat(
            AdapterTrainer.resolve(TrainingObjective.SFT_KTO, List.of(mixed.get(0), mixed.get(2))))
        .isEqualTo(TrainingObjective.SFT_KTO);
    assertThatThrownBy(() -> AdapterTrainer.resolve(TrainingObjective.SFT_DPO, mixed))
        .hasMessageContaining("cannot learn from the 1 BINARY_FEEDBACK records");
    assertThatThrownBy(() -> AdapterTrainer.resolve(TrainingObjective.KTO, mixed.subList(0, 2)))
        .hasMessageContaining("needs BINARY_FEEDBACK records");
  }

  @Test
  void dpoWithoutPairsIsRefused() {
    List<TrainingExample> sftOnly =
        List.of(new TrainingExample.Sft("a", List.of(ChatTurn.user("x")), "y", false));
    assertThatThrownBy(() -> AdapterTrainer.resolve(TrainingObjective.DPO, sftOnly))
        .hasMessageContaining("needs PREFERENCE records");
  }

  @Test
  void truncationDropsOldestPromptTokensFirst() {
    TokenizedExample e = new TokenizedExample(new long[] {1, 2, 3, 4, 5, 6, 7}, 5);
    TokenizedExample cut = AdapterTrainer.truncate(e, 4);
    assertThat(cut.ids()).containsExactly(4, 5, 6, 7);
    assertThat(cut.completionStart()).isEqualTo(2);
  }
}
