package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.model.lora.LoraConfig;
import io.sluice.model.skills.BatchedSkillsSuite;
import io.sluice.model.skills.GeneralSkillsSuite;
import io.sluice.model.skills.SuiteResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batched scoring must give exactly what scoring one item at a time gives. */
class BatchScoringTest {

  private static final List<String> PROMPTS =
      List.of(
          "What is 7+8?",
          "What is 3+4?",
          "What is 9-2?",
          "Reverse: plomk",
          "Reverse: abcd",
          "Capital of France?",
          "Capital of Peru?",
          "How do I reset my router?",
          "Hi",
          "Hello there, who are you?");

  /**
   * A random untrained model over the tiny tokenizer: answers of every length, stop tokens at odd
   * places.
   */
  private static LanguageModel randomModel() throws Exception {
    TextTokenizer tokenizer = TextTokenizer.load(DefaultBaseModel.path(), ChatTemplate.chatMl());
    LlamaConfig config = LlamaConfig.of(32, 64, 2, 4, 2, TinyTokenizer.VOCAB_SIZE, 128);
    return new LanguageModel(
        LlamaModel.random(config, 7, 0.3, ai.djl.Device.cpu()), tokenizer, DefaultBaseModel.path());
  }

  @Test
  void batchedGreedyAnswersEqualOneAtATime() throws Exception {
    try (LanguageModel lm = randomModel()) {
      List<long[]> prompts = new ArrayList<>();
      int[] budgets = new int[PROMPTS.size()];
      for (int i = 0; i < PROMPTS.size(); i++) {
        prompts.add(lm.tokenizer().encodePrompt(List.of(ChatTurn.user(PROMPTS.get(i)))));
        budgets[i] = 3 + i * 2;
      }
      List<long[]> batched = BatchScoring.greedy(lm, Adaptation.NONE, prompts, budgets, 4);
      for (int i = 0; i < prompts.size(); i++) {
        long[] alone =
            lm.generate(prompts.get(i), Adaptation.NONE, GenerationOptions.greedy(budgets[i]));
        assertThat(batched.get(i)).as("prompt %d", i).containsExactly(alone);
      }
    }
  }

  @Test
  void batchedAnswerLogProbsEqualOneAtATime() throws Exception {
    try (LanguageModel lm = randomModel()) {
      List<TokenizedExample> examples = new ArrayList<>();
      for (int i = 0; i < PROMPTS.size(); i++) {
        examples.add(
            lm.tokenizer()
                .encodeExample(
                    List.of(ChatTurn.user(PROMPTS.get(i))), "answer number " + "x".repeat(i)));
      }
      List<BatchScoring.AnswerLogProb> batched =
          BatchScoring.answerLogProbs(lm, Adaptation.NONE, examples, 3);
      for (int i = 0; i < examples.size(); i++) {
        List<BatchScoring.AnswerLogProb> alone =
            BatchScoring.answerLogProbs(lm, Adaptation.NONE, List.of(examples.get(i)), 1);
        assertThat(batched.get(i).tokens())
            .isEqualTo(alone.get(0).tokens())
            .isEqualTo(examples.get(i).length() - examples.get(i).completionStart());
        assertThat(batched.get(i).sum()).isCloseTo(alone.get(0).sum(), within(1e-3));
      }
    }
  }

  @Test
  void batchedSuiteEqualsTheOneAtATimeSuiteOnTheDefaultModel() throws Exception {
    try (LanguageModel lm = LanguageModel.load(DefaultBaseModel.path());
        LoraAdapter noisy = LoraAdapter.create(lm.model(), LoraConfig.defaults(), 3)) {
      // A non-zero B makes the adapter damage some answers, so the comparison covers failures too.
      noisy
          .parameters()
          .forEach(
              (key, array) -> {
                if (key.contains("lora_B")) {
                  array.set(
                      array
                          .getManager()
                          .randomNormal(0f, 0.05f, array.getShape(), array.getDataType())
                          .toFloatArray());
                }
              });
      SuiteResult one = GeneralSkillsSuite.evaluate(lm, noisy);
      SuiteResult batched = BatchedSkillsSuite.evaluate(lm, noisy, BatchScoring.DEFAULT_BATCH);
      assertThat(batched.skills()).isEqualTo(one.skills());
      assertThat(batched.items()).isEqualTo(one.items());
    }
  }
}
