package io.sluice.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.ChatTurn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stress harness for non-finite gradients (not a test: what it shows depends on when the collector
 * runs). Trains {@code runs} times while another thread collects garbage {@code gcEveryMillis}
 * apart (0: never), and prints each run's skipped optimiser steps, its largest loss, and whether
 * its loss curve equals that of the first run on the same data.
 *
 * <ul>
 *   <li>{@code padded}: AdapterTrainerTest's short, heavily padded batches on its tiny random
 *       model, the same data and seed every run.
 *   <li>{@code sales-bot}: the quickstart's aggressive track (lr 3e-3, 3 epochs, the trainer's
 *       other defaults) on the default base model, over {@code windows} different seeded windows of
 *       the demo's acme/sales-bot examples, in turn.
 * </ul>
 *
 * <p>{@code java -cp <model test classpath> io.sluice.model.train.GradientStress padded|sales-bot
 * [runs] [gcEveryMillis] [windows] [demo events file]}
 */
public final class GradientStress {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GradientStress() {}

  private record Workload(LanguageModel lm, TrainOptions options, List<List<TrainingExample>> data)
      implements AutoCloseable {
    @Override
    public void close() {
      lm.close();
    }
  }

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "padded";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    long gcEveryMillis = args.length > 2 ? Long.parseLong(args[2]) : 1;
    int windows = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    Path events = Path.of(args.length > 4 ? args[4] : "examples/demo-events.jsonl");
    AtomicBoolean running = new AtomicBoolean(true);
    Thread collector = new Thread(() -> collectUntilStopped(running, gcEveryMillis), "collector");
    collector.setDaemon(true);
    collector.start();
    Map<Integer, List<Double>> firstCurves = new HashMap<>();
    int badRuns = 0;
    try (Workload workload = name.equals("padded") ? padded() : salesBot(events, windows)) {
      for (int run = 1; run <= runs; run++) {
        int window = (run - 1) % workload.data().size();
        List<TrainingExample> data = workload.data().get(window);
        try (TrainedAdapter trained =
            AdapterTrainer.train(workload.lm(), data, workload.options(), p -> {})) {
          TrainResult result = trained.result();
          List<Double> curve = result.lossCurve();
          boolean same = firstCurves.computeIfAbsent(window, w -> curve).equals(curve);
          badRuns += result.skippedSteps() > 0 || !same ? 1 : 0;
          System.out.printf(
              "run %d (window %d, %d examples): skipped %d of %d steps,"
                  + " loss %.3f → %.3f (largest %.3f), %s%n",
              run,
              window,
              data.size(),
              result.skippedSteps(),
              result.steps(),
              result.firstLoss(),
              result.finalLoss(),
              Collections.max(curve),
              same ? "curve as the window's first run" : "CURVE DIFFERS from the window's first");
        } catch (TrainingFailedException e) {
          badRuns++;
          System.out.printf("run %d: failed: %s%n", run, e.getMessage());
        }
      }
    } finally {
      running.set(false);
    }
    System.out.printf(
        "%d of %d runs skipped a step, failed or differed from their window's first%n",
        badRuns, runs);
  }

  private static void collectUntilStopped(AtomicBoolean running, long everyMillis) {
    if (everyMillis <= 0) {
      return;
    }
    while (running.get()) {
      System.gc();
      try {
        Thread.sleep(everyMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static Workload padded() throws Exception {
    LanguageModel lm =
        AdapterTrainerTest.tinyLanguageModel(Files.createTempDirectory("gradient-stress"));
    return new Workload(
        lm,
        AdapterTrainerTest.shortHeavilyPaddedOptions(),
        List.of(AdapterTrainerTest.shortHeavilyPadded()));
  }

  private static Workload salesBot(Path events, int windows) throws Exception {
    List<TrainingExample> all = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      JsonNode e = JSON.readTree(line);
      if (e.path("track").asText().equals("sales-bot")
          && e.path("type").asText().equals("example")) {
        all.add(
            new TrainingExample.Sft(
                e.path("id").asText(),
                List.of(ChatTurn.user(e.path("prompt").asText())),
                e.path("completion").asText(),
                false));
      }
    }
    List<List<TrainingExample>> data = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      List<TrainingExample> window = new ArrayList<>(all);
      Random random = new Random(w);
      Collections.shuffle(window, random);
      data.add(List.copyOf(window.subList(0, 16 + random.nextInt(all.size() - 15))));
    }
    TrainOptions defaults = TrainOptions.defaults(TrainingObjective.AUTO);
    TrainOptions options =
        new TrainOptions(
            defaults.objective(),
            defaults.lora(),
            3,
            defaults.batchSize(),
            defaults.gradientAccumulation(),
            3e-3,
            defaults.dpoLearningRate(),
            defaults.warmupRatio(),
            defaults.weightDecay(),
            defaults.maxGradNorm(),
            defaults.beta(),
            defaults.maxLength(),
            defaults.seed());
    return new Workload(LanguageModel.load(DefaultBaseModel.path()), options, data);
  }
}
