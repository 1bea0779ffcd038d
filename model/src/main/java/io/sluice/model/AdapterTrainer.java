package io.sluice.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Trains a fresh LoRA adapter on curated examples (SFT or DPO) and writes it in PEFT format
 * with a training report. The base model is frozen throughout and left unchanged.
 */
public final class AdapterTrainer {
  public static final String REPORT_FILE = "training_report.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  // Batches are formed inside windows of this many batches sorted by length, so padding stays
  // small while batch order remains random.
  private static final int LENGTH_WINDOW_BATCHES = 16;

  private AdapterTrainer() {}

  /** A DPO pair tokenized, with the reference model's answer log-probs. */
  private record Pair(TokenizedExample chosen, TokenizedExample rejected, float referenceChosen, float referenceRejected) {
    int length() {
      return Math.max(chosen.length(), rejected.length());
    }
  }

  public static TrainResult run(
      LanguageModel lm, List<TrainingExample> data, TrainOptions options, Path out, ProgressListener listener)
      throws IOException {
    List<TrainingExample> train = data.stream().filter(e -> !e.holdout()).toList();
    List<TrainingExample> holdout = data.stream().filter(TrainingExample::holdout).toList();
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no TRAIN records among " + data.size() + " examples");
    }
    Objective objective = resolve(options.objective(), data);
    Engine.getInstance().setRandomSeed((int) options.seed());
    LlamaModel model = lm.model();
    model.setBaseTrainable(false);
    try (LoraAdapter adapter = LoraAdapter.create(model, options.lora(), options.seed())) {
      adapter.setTrainable(true);
      AdamW optimizer = AdamW.standard(adapter.parameters(), options.weightDecay());
      Random random = new Random(options.seed());
      long start = System.nanoTime();
      Loop loop;
      if (objective == Objective.SFT) {
        loop = new SftLoop(lm, sftExamples(lm, train, options), sftExamples(lm, holdout, options));
      } else {
        loop = new DpoLoop(lm, pairs(lm, adapter, train, options), pairs(lm, adapter, holdout, options), options.beta());
      }
      int microPerEpoch = (loop.size() + options.batchSize() - 1) / options.batchSize();
      int totalSteps = Math.max(1, (microPerEpoch * options.epochs() + options.gradientAccumulation() - 1)
          / options.gradientAccumulation());
      LearningRateSchedule schedule = new LearningRateSchedule(
          options.learningRate(), (int) Math.round(totalSteps * options.warmupRatio()), totalSteps, 0.0);
      List<List<Integer>> batches = new ArrayList<>();
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        batches.addAll(lengthGroupedBatches(loop, options.batchSize(), random));
      }
      double firstLoss = Double.NaN;
      double loss = Double.NaN;
      long tokens = 0;
      int step = 0;
      for (int from = 0; from < batches.size(); from += options.gradientAccumulation()) {
        List<List<Integer>> micro = batches.subList(from, Math.min(batches.size(), from + options.gradientAccumulation()));
        double lr = schedule.at(step);
        double stepLoss = 0;
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            for (List<Integer> batch : micro) {
              NDArray l = loop.loss(batch, true);
              collector.backward(l.div(micro.size()));
              stepLoss += l.getFloat() / micro.size();
              tokens += loop.tokens(batch);
            }
          }
          optimizer.step(lr, options.maxGradNorm());
        }
        loss = stepLoss;
        if (step == 0) {
          firstLoss = loss;
        }
        step++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        listener.onStep(new TrainingProgress(step, totalSteps, loss, tokens / elapsed, lr, elapsed));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double holdoutLoss = loop.holdoutLoss(options.batchSize());
      adapter.setTrainable(false);
      adapter.save(out, lm.directory() == null ? "" : lm.directory().toString());
      TrainResult result = new TrainResult(
          out, objective, train.size(), holdout.size(), step, firstLoss, loss, holdoutLoss, tokens, seconds);
      writeReport(out, options, result, adapter.parameterCount());
      return result;
    }
  }

  /** The objective {@code requested} means for these examples (AUTO resolved on TRAIN records). */
  public static Objective resolve(Objective requested, List<TrainingExample> examples) {
    List<TrainingExample> train = examples.stream().filter(e -> !e.holdout()).toList();
    boolean allPairs = train.stream().allMatch(e -> e instanceof TrainingExample.Preference);
    if (requested == Objective.AUTO) {
      return allPairs ? Objective.DPO : Objective.SFT;
    }
    if (requested == Objective.DPO && train.stream().noneMatch(e -> e instanceof TrainingExample.Preference)) {
      throw new IllegalArgumentException("objective DPO needs PREFERENCE records but the data has none");
    }
    return requested;
  }

  /** SFT uses every answer: SFT completions and the chosen side of preference pairs. */
  private static List<TokenizedExample> sftExamples(LanguageModel lm, List<TrainingExample> data, TrainOptions o) {
    List<TokenizedExample> out = new ArrayList<>();
    for (TrainingExample e : data) {
      String answer = e instanceof TrainingExample.Sft s ? s.completion() : ((TrainingExample.Preference) e).chosen();
      out.add(truncate(lm.tokenizer().encodeExample(e.messages(), answer), o.maxLength()));
    }
    return out;
  }

  private static List<Pair> pairs(LanguageModel lm, LoraAdapter adapter, List<TrainingExample> data, TrainOptions o) {
    List<TokenizedExample> chosen = new ArrayList<>();
    List<TokenizedExample> rejected = new ArrayList<>();
    for (TrainingExample e : data) {
      if (e instanceof TrainingExample.Preference p) {
        chosen.add(truncate(lm.tokenizer().encodeExample(p.messages(), p.chosen()), o.maxLength()));
        rejected.add(truncate(lm.tokenizer().encodeExample(p.messages(), p.rejected()), o.maxLength()));
      }
    }
    // The reference policy is the base model, i.e. this model with the adapter off; it never
    // changes during training, so its log-probs are computed once, without gradients.
    adapter.setEnabled(false);
    float[] refChosen = answerLogProbs(lm, chosen, o.batchSize());
    float[] refRejected = answerLogProbs(lm, rejected, o.batchSize());
    adapter.setEnabled(true);
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      out.add(new Pair(chosen.get(i), rejected.get(i), refChosen[i], refRejected[i]));
    }
    return out;
  }

  private static float[] answerLogProbs(LanguageModel lm, List<TokenizedExample> examples, int batchSize) {
    float[] out = new float[examples.size()];
    for (int from = 0; from < examples.size(); from += batchSize) {
      List<TokenizedExample> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        SequenceBatch batch = SequenceBatch.of(chunk, lm.tokenizer().stopId(), lm.model().manager());
        float[] values = Losses.sequenceLogProbs(lm.model(), batch, false).toFloatArray();
        System.arraycopy(values, 0, out, from, values.length);
      }
    }
    return out;
  }

  /** Keeps at most {@code max} tokens: prompt tokens go first (oldest context), then answer tail. */
  static TokenizedExample truncate(TokenizedExample e, int max) {
    if (e.length() <= max) {
      return e;
    }
    int promptLength = e.completionStart();
    int dropPrompt = Math.min(promptLength - 1, e.length() - max);
    long[] ids = java.util.Arrays.copyOfRange(e.ids(), dropPrompt, Math.min(e.length(), dropPrompt + max));
    return new TokenizedExample(ids, promptLength - dropPrompt);
  }

  private static List<List<Integer>> lengthGroupedBatches(Loop loop, int batchSize, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < loop.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<List<Integer>> batches = new ArrayList<>();
    int window = batchSize * LENGTH_WINDOW_BATCHES;
    for (int from = 0; from < order.size(); from += window) {
      List<Integer> chunk = new ArrayList<>(order.subList(from, Math.min(order.size(), from + window)));
      chunk.sort(Comparator.comparingInt(loop::length));
      for (int b = 0; b < chunk.size(); b += batchSize) {
        batches.add(List.copyOf(chunk.subList(b, Math.min(chunk.size(), b + batchSize))));
      }
    }
    Collections.shuffle(batches, random);
    return batches;
  }

  /** One objective over indexed training units. */
  private interface Loop {
    int size();

    int length(int index);

    long tokens(List<Integer> batch);

    NDArray loss(List<Integer> batch, boolean training);

    double holdoutLoss(int batchSize);
  }

  private static final class SftLoop implements Loop {
    private final LanguageModel lm;
    private final List<TokenizedExample> train;
    private final List<TokenizedExample> holdout;

    SftLoop(LanguageModel lm, List<TokenizedExample> train, List<TokenizedExample> holdout) {
      this.lm = lm;
      this.train = train;
      this.holdout = holdout;
    }

    @Override
    public int size() {
      return train.size();
    }

    @Override
    public int length(int index) {
      return train.get(index).length();
    }

    @Override
    public long tokens(List<Integer> batch) {
      return batch.stream().mapToLong(i -> train.get(i).length()).sum();
    }

    @Override
    public NDArray loss(List<Integer> batch, boolean training) {
      List<TokenizedExample> examples = batch.stream().map(train::get).toList();
      return Losses.sft(lm.model(), SequenceBatch.of(examples, lm.tokenizer().stopId(), lm.model().manager()), training);
    }

    @Override
    public double holdoutLoss(int batchSize) {
      if (holdout.isEmpty()) {
        return Double.NaN;
      }
      double total = 0;
      int count = 0;
      for (int from = 0; from < holdout.size(); from += batchSize) {
        List<TokenizedExample> chunk = holdout.subList(from, Math.min(holdout.size(), from + batchSize));
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          total += Losses.sft(lm.model(), SequenceBatch.of(chunk, lm.tokenizer().stopId(), lm.model().manager()), false)
              .getFloat() * chunk.size();
          count += chunk.size();
        }
      }
      return total / count;
    }
  }

  private static final class DpoLoop implements Loop {
    private final LanguageModel lm;
    private final List<Pair> train;
    private final List<Pair> holdout;
    private final double beta;

    DpoLoop(LanguageModel lm, List<Pair> train, List<Pair> holdout, double beta) {
      this.lm = lm;
      this.train = train;
      this.holdout = holdout;
      this.beta = beta;
    }

    @Override
    public int size() {
      return train.size();
    }

    @Override
    public int length(int index) {
      return train.get(index).length();
    }

    @Override
    public long tokens(List<Integer> batch) {
      return batch.stream().mapToLong(i -> train.get(i).chosen().length() + train.get(i).rejected().length()).sum();
    }

    @Override
    public NDArray loss(List<Integer> batch, boolean training) {
      return pairLoss(batch.stream().map(train::get).toList(), training);
    }

    /** Chosen and rejected answers run as one (2N) batch: first N chosen, last N rejected. */
    private NDArray pairLoss(List<Pair> pairs, boolean training) {
      int n = pairs.size();
      List<TokenizedExample> sequences = new ArrayList<>();
      pairs.forEach(p -> sequences.add(p.chosen()));
      pairs.forEach(p -> sequences.add(p.rejected()));
      NDArray logProbs = Losses.sequenceLogProbs(
          lm.model(), SequenceBatch.of(sequences, lm.tokenizer().stopId(), lm.model().manager()), training); // (2N)
      float[] refChosen = new float[n];
      float[] refRejected = new float[n];
      for (int i = 0; i < n; i++) {
        refChosen[i] = pairs.get(i).referenceChosen();
        refRejected[i] = pairs.get(i).referenceRejected();
      }
      return Losses.dpo(
          logProbs.get(new NDIndex("0:{}", n)),
          logProbs.get(new NDIndex("{}:", n)),
          lm.model().manager().create(refChosen),
          lm.model().manager().create(refRejected),
          beta);
    }

    @Override
    public double holdoutLoss(int batchSize) {
      if (holdout.isEmpty()) {
        return Double.NaN;
      }
      double total = 0;
      for (int from = 0; from < holdout.size(); from += batchSize) {
        List<Pair> chunk = holdout.subList(from, Math.min(holdout.size(), from + batchSize));
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          total += pairLoss(chunk, false).getFloat() * chunk.size();
        }
      }
      return total / holdout.size();
    }
  }

  private static void writeReport(Path out, TrainOptions options, TrainResult result, long loraParameters)
      throws IOException {
    ObjectNode report = JSON.createObjectNode();
    report.put("objective", result.objective().name());
    report.put("train_examples", result.trainExamples());
    report.put("holdout_examples", result.holdoutExamples());
    report.put("steps", result.steps());
    report.put("epochs", options.epochs());
    report.put("batch_size", options.batchSize());
    report.put("gradient_accumulation", options.gradientAccumulation());
    report.put("learning_rate", options.learningRate());
    report.put("beta", options.beta());
    report.put("seed", options.seed());
    report.put("lora_r", options.lora().r());
    report.put("lora_alpha", options.lora().alpha());
    report.put("lora_parameters", loraParameters);
    report.put("first_loss", result.firstLoss());
    report.put("final_loss", result.finalLoss());
    if (!Double.isNaN(result.holdoutLoss())) {
      report.put("holdout_loss", result.holdoutLoss());
    }
    report.put("tokens", result.tokens());
    report.put("seconds", result.seconds());
    report.put("tokens_per_second", result.tokensPerSecond());
    Files.writeString(out.resolve(REPORT_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
  }
}
