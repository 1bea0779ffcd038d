package io.sluice.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.Devices;
import io.sluice.model.LanguageModel;
import io.sluice.model.LlamaModel;
import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.skills.GeneralSkillsSuite;
import io.sluice.model.skills.Skill;
import io.sluice.model.skills.SkillItem;
import io.sluice.model.skills.SuiteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Trains the tiny default base model from scratch on a generated general-skills corpus and saves it
 * in Hugging Face layout (config.json, model.safetensors, tokenizer.json), so the same loader
 * serves it and real checkpoints.
 *
 * <p>Every step draws a fresh batch: a skill uniformly, then an item of it, asked as one user turn
 * in ChatML with the loss on the answer only.
 */
public final class Pretrainer {
  private static final double CLIP_NORM = 1.0;

  /** What a pretrained directory holds; the manifest lists them with their SHA-256. */
  static final List<String> MODEL_FILES =
      List.of(
          "config.json",
          "model.safetensors",
          "tokenizer.json",
          "tokenizer_config.json",
          "pretrain_report.json");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Pretrainer() {}

  public static PretrainResult run(PretrainOptions options, ProgressListener listener)
      throws IOException {
    Files.createDirectories(options.out());
    TinyTokenizer.write(options.out());
    Device device = Devices.preferred();
    TextTokenizer tokenizer = TextTokenizer.load(options.out(), ChatTemplate.chatMl());
    try (LanguageModel lm =
        new LanguageModel(
            LlamaModel.random(options.config(), options.seed(), device),
            tokenizer,
            options.out())) {
      LlamaModel model = lm.model();
      model.setBaseTrainable(true);
      AdamW optimizer = AdamW.standard(model.parameters(), options.weightDecay());
      LearningRateSchedule schedule =
          new LearningRateSchedule(
              options.learningRate(), options.warmupSteps(), options.steps(), 0.1);
      List<Skill> skills = GeneralSkillsSuite.skills();
      Random data = new Random(options.seed());
      long start = System.nanoTime();
      long tokens = 0;
      double firstLoss = Double.NaN;
      double loss = Double.NaN;
      for (int step = 0; step < options.steps(); step++) {
        List<TokenizedExample> examples = new ArrayList<>(options.batchSize());
        for (int i = 0; i < options.batchSize(); i++) {
          SkillItem item = skills.get(data.nextInt(skills.size())).sample(data);
          examples.add(tokenizer.encodeExample(GeneralSkillsSuite.asMessages(item), item.answer()));
        }
        double lr = schedule.at(step);
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          SequenceBatch batch =
              SequenceBatch.of(examples, TinyTokenizer.END_OF_TEXT_ID, model.manager());
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray l = Losses.sft(model, Adaptation.NONE, batch, true);
            collector.backward(l);
            loss = l.getFloat();
          }
          optimizer.step(lr, CLIP_NORM);
          tokens += batch.tokens();
        }
        if (step == 0) {
          firstLoss = loss;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        listener.onStep(
            new TrainingProgress(step + 1, options.steps(), loss, tokens / elapsed, lr, elapsed));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      model.save(options.out());
      Optional<SuiteResult> suite =
          options.evaluate()
              ? Optional.of(GeneralSkillsSuite.evaluate(lm, Adaptation.NONE))
              : Optional.empty();
      PretrainResult result =
          new PretrainResult(
              options.out(), options.steps(), firstLoss, loss, tokens, seconds, suite);
      writeReport(options, result);
      DefaultBaseModel.writeManifest(options.out(), MODEL_FILES);
      return result;
    }
  }

  private static void writeReport(PretrainOptions options, PretrainResult result)
      throws IOException {
    ObjectNode report = JSON.createObjectNode();
    report.put("seed", options.seed());
    report.put("steps", options.steps());
    report.put("batch_size", options.batchSize());
    report.put("learning_rate", options.learningRate());
    report.put("warmup_steps", options.warmupSteps());
    report.put("weight_decay", options.weightDecay());
    report.put("first_loss", result.firstLoss());
    report.put("final_loss", result.finalLoss());
    report.put("tokens", result.tokens());
    report.put("train_seconds", Math.round(result.seconds()));
    report.put("device", Devices.preferred().toString());
    result
        .suite()
        .ifPresent(
            s -> {
              ObjectNode skills = report.putObject("skills");
              s.skills().forEach(skills::put);
              report.put("eval_seconds", s.seconds());
            });
    Files.writeString(
        options.out().resolve("pretrain_report.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
  }
}
