package io.sluice.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains a LoRA adapter on curated examples (SFT, DPO and/or KTO, in that order) and returns it in
 * memory with its result; {@link TrainedAdapter#save} writes it. The base model is frozen and
 * shared: it is never modified, and all randomness (init, shuffling, dropout) comes from the run's
 * seed.
 */
public final class AdapterTrainer {
  // Batches are formed inside windows of this many batches sorted by length, so padding stays
  // small while batch order remains random.
  private static final int LENGTH_WINDOW_BATCHES = 16;
  // DJL's PyTorch gradient collector is process-wide (a second one refuses to start), so runs in
  // one JVM (several trainer instances, or a trainer beside the CLI) take turns.
  private static final ReentrantLock ONE_RUN_PER_PROCESS = new ReentrantLock();

  private AdapterTrainer() {}

  /** A DPO pair tokenized, with the reference model's answer log-probs. */
  private record Pair(
      TokenizedExample chosen,
      TokenizedExample rejected,
      float referenceChosen,
      float referenceRejected) {
    int length() {
      return Math.max(chosen.length(), rejected.length());
    }
  }

  /** A voted answer tokenized with its KL partner and both reference answer log-probs. */
  private record Vote(
      TokenizedExample answer,
      TokenizedExample mismatched,
      boolean desirable,
      float reference,
      float referenceMismatched) {}

  /** Trains a fresh adapter. */
  public static TrainedAdapter train(
      LanguageModel lm,
      List<TrainingExample> data,
      TrainOptions options,
      ProgressListener listener) {
    return train(lm, data, options, null, listener);
  }

  /**
   * Trains {@code init} further (closing it is then the caller's business), or a fresh adapter when
   * it is null.
   *
   * @throws TrainingFailedException when a step's loss is not finite: a diverged adapter is never
   *     returned
   */
  public static TrainedAdapter train(
      LanguageModel lm,
      List<TrainingExample> data,
      TrainOptions options,
      LoraAdapter init,
      ProgressListener listener) {
    List<TrainingExample> train = data.stream().filter(e -> !e.holdout()).toList();
    List<TrainingExample> holdout = data.stream().filter(TrainingExample::holdout).toList();
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no TRAIN records among " + data.size() + " examples");
    }
    TrainingObjective objective = resolve(options.objective(), data);
    ONE_RUN_PER_PROCESS.lock();
    try {
      return run(lm, train, holdout, objective, options, init, listener);
    } finally {
      ONE_RUN_PER_PROCESS.unlock();
    }
  }

  private static TrainedAdapter run(
      LanguageModel lm,
      List<TrainingExample> train,
      List<TrainingExample> holdout,
      TrainingObjective objective,
      TrainOptions options,
      LoraAdapter init,
      ProgressListener listener) {
    lm.model().setBaseTrainable(false);
    LoraAdapter adapter =
        init != null
            ? init.copy(options.seed())
            : LoraAdapter.create(lm.model(), options.lora(), options.seed());
    try {
      adapter.setTrainable(true);
      Run run = new Run(lm, adapter, options, listener);
      Truncation truncation = new Truncation(options.maxLength());
      int sftCount = 0;
      int pairCount = 0;
      int voteCount = 0;
      if (objective.hasSft()) {
        // Without a DPO phase, SFT learns the chosen side of pairs too (sftExamples).
        List<TrainingExample> sft = objective.hasDpo() ? sftOnly(train) : withoutVotes(train);
        List<TrainingExample> sftHoldout =
            objective.hasDpo() ? sftOnly(holdout) : withoutVotes(holdout);
        SftLoop loop =
            new SftLoop(
                lm,
                adapter,
                sftExamples(lm, sft, truncation),
                sftExamples(lm, sftHoldout, truncation));
        sftCount = loop.size();
        run.phase(loop, options.learningRate());
      }
      if (objective.hasDpo()) {
        DpoLoop loop =
            new DpoLoop(
                lm,
                adapter,
                pairs(lm, train, options, truncation),
                pairs(lm, holdout, options, truncation),
                options.beta());
        pairCount = loop.size();
        run.phase(loop, options.dpoLearningRate());
      }
      if (objective.hasKto()) {
        KtoLoop loop =
            new KtoLoop(
                lm,
                adapter,
                votes(lm, train, options, truncation),
                votes(lm, holdout, options, truncation),
                options.kto());
        voteCount = loop.size();
        run.phase(loop, options.dpoLearningRate());
      }
      adapter.setTrainable(false);
      TrainResult result =
          new TrainResult(
              objective,
              options,
              train.size(),
              holdout.size(),
              run.steps,
              run.optimizer.skippedSteps(),
              run.firstLoss,
              run.loss,
              run.holdoutLoss,
              run.tokens,
              run.seconds(),
              List.copyOf(run.curve),
              lm.model().manager().getDevice().toString(),
              truncation.count,
              sftCount,
              pairCount,
              voteCount);
      return new TrainedAdapter(adapter, result);
    } catch (RuntimeException e) {
      adapter.close();
      throw e;
    }
  }

  /** Counts the examples that {@link #truncate} shortened. */
  private static final class Truncation {
    final int max;
    int count;

    Truncation(int max) {
      this.max = max;
    }

    TokenizedExample apply(TokenizedExample e) {
      if (e.length() > max) {
        count++;
      }
      return truncate(e, max);
    }
  }

  /** The state of one training run across its phases (SFT, then DPO). */
  private static final class Run {
    final LanguageModel lm;
    final LoraAdapter adapter;
    final TrainOptions options;
    final ProgressListener listener;
    final AdamW optimizer;
    final Random random;
    final long start = System.nanoTime();
    final List<Double> curve = new ArrayList<>();
    double firstLoss = Double.NaN;
    double loss = Double.NaN;
    double holdoutLoss = Double.NaN;
    long tokens;
    int steps;

    Run(LanguageModel lm, LoraAdapter adapter, TrainOptions options, ProgressListener listener) {
      this.lm = lm;
      this.adapter = adapter;
      this.options = options;
      this.listener = listener;
      this.optimizer = AdamW.standard(adapter.parameters(), options.weightDecay());
      this.random = new Random(options.seed());
    }

    double seconds() {
      return (System.nanoTime() - start) / 1e9;
    }

    void phase(Loop<?> loop, double peakLearningRate) {
      if (loop.size() == 0) {
        return;
      }
      int microPerEpoch = (loop.size() + options.batchSize() - 1) / options.batchSize();
      int totalSteps =
          Math.max(
              1,
              (microPerEpoch * options.epochs() + options.gradientAccumulation() - 1)
                  / options.gradientAccumulation());
      LearningRateSchedule schedule =
          new LearningRateSchedule(
              peakLearningRate,
              (int) Math.round(totalSteps * options.warmupRatio()),
              totalSteps,
              0.0);
      List<List<Integer>> batches = new ArrayList<>();
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        batches.addAll(lengthGroupedBatches(loop, options.batchSize(), random));
      }
      int phaseStep = 0;
      for (int from = 0; from < batches.size(); from += options.gradientAccumulation()) {
        List<List<Integer>> micro =
            batches.subList(from, Math.min(batches.size(), from + options.gradientAccumulation()));
        double lr = schedule.at(phaseStep);
        double stepLoss = 0;
        for (List<Integer> batch : micro) {
          // One scope per micro-batch: its arrays are freed before the next one starts.
          try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            double value =
                loop.lossAndBackward(batch, options.checkpointActivations(), 1f / micro.size());
            if (!Double.isFinite(value)) {
              throw new TrainingFailedException(
                  TrainingFailedException.Reason.NON_FINITE_LOSS,
                  "loss is " + value + " at step " + (steps + 1));
            }
            stepLoss += value / micro.size();
            tokens += loop.tokens(batch);
          }
        }
        optimizer.step(lr, options.maxGradNorm());
        loss = stepLoss;
        if (steps == 0) {
          firstLoss = loss;
        }
        curve.add(loss);
        steps++;
        phaseStep++;
        double elapsed = seconds();
        listener.onStep(
            new TrainingProgress(steps, totalSteps, loss, tokens / elapsed, lr, elapsed));
      }
      holdoutLoss = loop.holdoutLoss(options.batchSize());
    }
  }

  /**
   * The objective {@code requested} means for these examples, resolved on TRAIN records: AUTO runs
   * SFT when there are SFT records, DPO when there are pairs and KTO when there are votes (binary
   * feedback), in that order; an explicit objective must fit the data.
   */
  public static TrainingObjective resolve(
      TrainingObjective requested, List<TrainingExample> examples) {
    List<TrainingExample> train = examples.stream().filter(e -> !e.holdout()).toList();
    long pairs = train.stream().filter(e -> e instanceof TrainingExample.Preference).count();
    long votes = train.stream().filter(e -> e instanceof TrainingExample.Binary).count();
    long sft = train.size() - pairs - votes;
    if (requested == TrainingObjective.AUTO) {
      return TrainingObjective.of(sft > 0, pairs > 0, votes > 0);
    }
    if (requested.hasDpo() && pairs == 0) {
      throw new IllegalArgumentException(
          "objective " + requested + " needs PREFERENCE records but the data has none");
    }
    if (requested.hasDpo() && !requested.hasSft() && sft > 0) {
      // DPO alone would drop the SFT records while the run reported them as trained.
      throw new IllegalArgumentException(
          "objective "
              + requested
              + " trains on PREFERENCE records only, but "
              + sft
              + " of the "
              + train.size()
              + " TRAIN records are SFT examples; use objective SFT_DPO (or AUTO) to train "
              + "SFT then DPO on them, or remove them from the data");
    }
    if (requested.hasSft() && sft == 0 && (requested.hasDpo() || pairs == 0)) {
      throw new IllegalArgumentException(
          "objective "
              + requested
              + " needs SFT records but the data has "
              + (pairs > 0 ? "only PREFERENCE" : "no SFT")
              + " records");
    }
    if (requested.hasKto() && votes == 0) {
      throw new IllegalArgumentException(
          "objective " + requested + " needs BINARY_FEEDBACK records but the data has none");
    }
    if (!requested.hasKto() && votes > 0) {
      throw new IllegalArgumentException(
          "objective "
              + requested
              + " cannot learn from the "
              + votes
              + " BINARY_FEEDBACK records (up/down votes) in the data; only KTO can: use an objective"
              + " with KTO, or AUTO");
    }
    return requested;
  }

  private static List<TrainingExample> sftOnly(List<TrainingExample> data) {
    return data.stream().filter(e -> e instanceof TrainingExample.Sft).toList();
  }

  private static List<TrainingExample> withoutVotes(List<TrainingExample> data) {
    return data.stream().filter(e -> !(e instanceof TrainingExample.Binary)).toList();
  }

  /**
   * SFT learns every answer given: SFT completions with every trained earlier assistant turn, one
   * sequence per conversation, and, in a plain SFT run, the chosen side of pairs.
   */
  private static List<TokenizedExample> sftExamples(
      LanguageModel lm, List<TrainingExample> data, Truncation truncation) {
    List<TokenizedExample> out = new ArrayList<>();
    for (TrainingExample e : data) {
      TokenizedExample tokens =
          e instanceof TrainingExample.Sft s
              ? lm.tokenizer()
                  .encodeConversation(
                      s.messages(),
                      ChatTurn.answer(s.completion(), s.completionToolCalls()),
                      s.tools())
              : preferenceSide(
                  lm, (TrainingExample.Preference) e, ((TrainingExample.Preference) e).chosen());
      out.add(truncation.apply(tokens));
    }
    return out;
  }

  /** One side of a pair: the prompt as context only (DPO compares the answers alone). */
  private static TokenizedExample preferenceSide(
      LanguageModel lm, TrainingExample.Preference p, String answer) {
    List<ChatTurn> context = p.messages().stream().map(ChatTurn::asContext).toList();
    return lm.tokenizer()
        .encodeConversation(context, ChatTurn.answer(answer, List.of()), p.tools());
  }

  private static List<Pair> pairs(
      LanguageModel lm, List<TrainingExample> data, TrainOptions o, Truncation truncation) {
    List<TokenizedExample> chosen = new ArrayList<>();
    List<TokenizedExample> rejected = new ArrayList<>();
    for (TrainingExample e : data) {
      if (e instanceof TrainingExample.Preference p) {
        chosen.add(truncation.apply(preferenceSide(lm, p, p.chosen())));
        rejected.add(truncation.apply(preferenceSide(lm, p, p.rejected())));
      }
    }
    // The reference policy is the base model (no adapter); it never changes during training, so
    // its log-probs are computed once, without gradients.
    float[] refChosen = answerLogProbs(lm, chosen, o.batchSize());
    float[] refRejected = answerLogProbs(lm, rejected, o.batchSize());
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      out.add(new Pair(chosen.get(i), rejected.get(i), refChosen[i], refRejected[i]));
    }
    return out;
  }

  /**
   * KTO's units: each vote with a mismatched partner for the KL baseline, this prompt followed by
   * the next vote's response (the previous one's for the last), as TRL's KTOTrainer shifts
   * responses by one. A single vote is its own partner. Reference log-probs are computed once.
   */
  private static List<Vote> votes(
      LanguageModel lm, List<TrainingExample> data, TrainOptions o, Truncation truncation) {
    List<TrainingExample.Binary> binary =
        data.stream()
            .filter(e -> e instanceof TrainingExample.Binary)
            .map(e -> (TrainingExample.Binary) e)
            .toList();
    List<TokenizedExample> answers = new ArrayList<>();
    List<TokenizedExample> mismatched = new ArrayList<>();
    for (int i = 0; i < binary.size(); i++) {
      TrainingExample.Binary vote = binary.get(i);
      int partnerIndex = i + 1 < binary.size() ? i + 1 : Math.max(0, i - 1);
      TrainingExample.Binary partner = binary.get(partnerIndex);
      answers.add(truncation.apply(lm.tokenizer().encodeExample(vote.messages(), vote.response())));
      // Partners are scored only for z0 and are not training sequences: not counted as truncated.
      TokenizedExample kl = lm.tokenizer().encodeExample(vote.messages(), partner.response());
      mismatched.add(truncate(kl, o.maxLength()));
    }
    float[] reference = answerLogProbs(lm, answers, o.batchSize());
    float[] referenceMismatched = answerLogProbs(lm, mismatched, o.batchSize());
    List<Vote> out = new ArrayList<>();
    for (int i = 0; i < binary.size(); i++) {
      out.add(
          new Vote(
              answers.get(i),
              mismatched.get(i),
              binary.get(i).desirable(),
              reference[i],
              referenceMismatched[i]));
    }
    return out;
  }

  private static float[] answerLogProbs(
      LanguageModel lm, List<TokenizedExample> examples, int batchSize) {
    float[] out = new float[examples.size()];
    for (int from = 0; from < examples.size(); from += batchSize) {
      List<TokenizedExample> chunk =
          examples.subList(from, Math.min(examples.size(), from + batchSize));
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        SequenceBatch batch =
            SequenceBatch.of(chunk, lm.tokenizer().stopId(), lm.model().manager());
        float[] values =
            Losses.sequenceLogProbs(lm.model(), Adaptation.NONE, batch, false).toFloatArray();
        System.arraycopy(values, 0, out, from, values.length);
      }
    }
    return out;
  }

  /**
   * Keeps at most {@code max} tokens: prompt tokens go first (oldest context), then answer tail.
   */
  static TokenizedExample truncate(TokenizedExample e, int max) {
    if (e.length() <= max) {
      return e;
    }
    int dropPrompt = Math.min(e.completionStart() - 1, e.length() - max);
    return e.slice(dropPrompt, Math.min(e.length(), dropPrompt + max));
  }

  private static List<List<Integer>> lengthGroupedBatches(
      Loop<?> loop, int batchSize, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < loop.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<List<Integer>> batches = new ArrayList<>();
    int window = batchSize * LENGTH_WINDOW_BATCHES;
    for (int from = 0; from < order.size(); from += window) {
      List<Integer> chunk =
          new ArrayList<>(order.subList(from, Math.min(order.size(), from + window)));
      chunk.sort(Comparator.comparingInt(loop::length));
      for (int b = 0; b < chunk.size(); b += batchSize) {
        batches.add(List.copyOf(chunk.subList(b, Math.min(chunk.size(), b + batchSize))));
      }
    }
    Collections.shuffle(batches, random);
    return batches;
  }

  /**
   * One objective over training units of type {@code U} (a sequence, a pair, a vote), addressed by
   * their index in the TRAIN units.
   */
  private abstract static class Loop<U> {
    final LanguageModel lm;
    final LoraAdapter adapter;
    private final List<U> train;
    private final List<U> holdout;

    Loop(LanguageModel lm, LoraAdapter adapter, List<U> train, List<U> holdout) {
      this.lm = lm;
      this.adapter = adapter;
      this.train = train;
      this.holdout = holdout;
    }

    /** The unit's length in tokens, which batches are grouped by. */
    abstract int lengthOf(U unit);

    /** The tokens the unit runs through the model. */
    abstract long tokensOf(U unit);

    /** Forward and backward of {@code units}; gradients are added times {@code scale}. */
    abstract double lossAndBackwardOf(List<U> units, boolean checkpoint, float scale);

    /** The mean loss over {@code units}, without gradients. */
    abstract double lossOf(List<U> units);

    final int size() {
      return train.size();
    }

    final int length(int index) {
      return lengthOf(train.get(index));
    }

    final long tokens(List<Integer> batch) {
      return batch.stream().mapToLong(i -> tokensOf(train.get(i))).sum();
    }

    final double lossAndBackward(List<Integer> batch, boolean checkpoint, float scale) {
      return lossAndBackwardOf(batch.stream().map(train::get).toList(), checkpoint, scale);
    }

    /** The mean loss over the HOLDOUT units, {@code batchSize} at a time; NaN without any. */
    final double holdoutLoss(int batchSize) {
      if (holdout.isEmpty()) {
        return Double.NaN;
      }
      double total = 0;
      for (int from = 0; from < holdout.size(); from += batchSize) {
        List<U> chunk = holdout.subList(from, Math.min(holdout.size(), from + batchSize));
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          total += lossOf(chunk) * chunk.size();
        }
      }
      return total / holdout.size();
    }

    SequenceBatch batch(List<TokenizedExample> sequences) {
      return SequenceBatch.of(sequences, lm.tokenizer().stopId(), lm.model().manager());
    }
  }

  private static final class SftLoop extends Loop<TokenizedExample> {
    SftLoop(
        LanguageModel lm,
        LoraAdapter adapter,
        List<TokenizedExample> train,
        List<TokenizedExample> holdout) {
      super(lm, adapter, train, holdout);
    }

    @Override
    int lengthOf(TokenizedExample unit) {
      return unit.length();
    }

    @Override
    long tokensOf(TokenizedExample unit) {
      return unit.length();
    }

    @Override
    double lossAndBackwardOf(List<TokenizedExample> units, boolean checkpoint, float scale) {
      return Losses.sftBackward(lm.model(), adapter, batch(units), checkpoint, scale);
    }

    @Override
    double lossOf(List<TokenizedExample> units) {
      return Losses.sft(lm.model(), adapter, batch(units), false).getFloat();
    }
  }

  private static final class DpoLoop extends Loop<Pair> {
    private final double beta;

    DpoLoop(
        LanguageModel lm, LoraAdapter adapter, List<Pair> train, List<Pair> holdout, double beta) {
      super(lm, adapter, train, holdout);
      this.beta = beta;
    }

    @Override
    int lengthOf(Pair unit) {
      return unit.length();
    }

    @Override
    long tokensOf(Pair unit) {
      return unit.chosen().length() + unit.rejected().length();
    }

    @Override
    double lossAndBackwardOf(List<Pair> pairs, boolean checkpoint, float scale) {
      return Losses.dpoBackward(
          lm.model(),
          adapter,
          sequences(pairs),
          floats(pairs, Pair::referenceChosen),
          floats(pairs, Pair::referenceRejected),
          beta,
          checkpoint,
          scale);
    }

    /** Chosen and rejected answers run as one (2N) batch: first N chosen, last N rejected. */
    private SequenceBatch sequences(List<Pair> pairs) {
      List<TokenizedExample> sequences = new ArrayList<>();
      pairs.forEach(p -> sequences.add(p.chosen()));
      pairs.forEach(p -> sequences.add(p.rejected()));
      return batch(sequences);
    }

    @Override
    double lossOf(List<Pair> pairs) {
      int n = pairs.size();
      NDArray logProbs =
          Losses.sequenceLogProbs(lm.model(), adapter, sequences(pairs), false); // (2N)
      NDManager manager = lm.model().manager();
      return Losses.dpo(
              logProbs.get(new NDIndex("0:{}", n)),
              logProbs.get(new NDIndex("{}:", n)),
              manager.create(floats(pairs, Pair::referenceChosen)),
              manager.create(floats(pairs, Pair::referenceRejected)),
              beta)
          .getFloat();
    }
  }

  private static final class KtoLoop extends Loop<Vote> {
    private final TrainOptions.KtoOptions options;

    KtoLoop(
        LanguageModel lm,
        LoraAdapter adapter,
        List<Vote> train,
        List<Vote> holdout,
        TrainOptions.KtoOptions options) {
      super(lm, adapter, train, holdout);
      this.options = options;
    }

    @Override
    int lengthOf(Vote unit) {
      return unit.answer().length();
    }

    @Override
    long tokensOf(Vote unit) {
      return unit.answer().length() + unit.mismatched().length();
    }

    @Override
    double lossAndBackwardOf(List<Vote> votes, boolean checkpoint, float scale) {
      double z0 = klBaseline(votes);
      return Losses.ktoBackward(
          lm.model(),
          adapter,
          answers(votes),
          floats(votes, Vote::reference),
          desirable(votes),
          z0,
          options,
          checkpoint,
          scale);
    }

    private double klBaseline(List<Vote> votes) {
      SequenceBatch mismatched = batch(votes.stream().map(Vote::mismatched).toList());
      return Losses.klBaseline(
          lm.model(), adapter, mismatched, floats(votes, Vote::referenceMismatched));
    }

    private SequenceBatch answers(List<Vote> votes) {
      return batch(votes.stream().map(Vote::answer).toList());
    }

    private static boolean[] desirable(List<Vote> votes) {
      boolean[] out = new boolean[votes.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = votes.get(i).desirable();
      }
      return out;
    }

    @Override
    double lossOf(List<Vote> votes) {
      NDArray policy = Losses.sequenceLogProbs(lm.model(), adapter, answers(votes), false);
      NDArray reference = lm.model().manager().create(floats(votes, Vote::reference));
      return Losses.kto(policy, reference, desirable(votes), klBaseline(votes), options).getFloat();
    }
  }

  /** One float of each unit, in order. */
  private static <U> float[] floats(List<U> units, ToFloatFunction<U> value) {
    float[] out = new float[units.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = value.applyAsFloat(units.get(i));
    }
    return out;
  }

  private interface ToFloatFunction<U> {
    float applyAsFloat(U unit);
  }
}
