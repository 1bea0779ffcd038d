package io.sluice.model.train;

import io.sluice.model.LanguageModel;
import io.sluice.model.LlamaModel;
import io.sluice.model.TestModels;
import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.lora.LoraConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stress harness for non-finite gradients (not a test: its outcome depends on timing). Trains
 * {@code AdapterTrainerTest}'s short, heavily padded batches {@code runs} times with the same seed
 * and data, while another thread collects garbage {@code gcEveryMillis} apart (0: never), and
 * prints each run's skipped optimiser steps and the loss curve's first difference from run 1's.
 *
 * <p>{@code java -cp <model test classpath> io.sluice.model.train.GradientStress [runs]
 * [gcEveryMillis]}
 */
public final class GradientStress {
  private GradientStress() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    long gcEveryMillis = args.length > 1 ? Long.parseLong(args[1]) : 1;
    Path base = Files.createTempDirectory("gradient-stress");
    TinyTokenizer.write(base);
    TextTokenizer tokenizer = TextTokenizer.load(base, ChatTemplate.chatMl());
    AtomicBoolean running = new AtomicBoolean(true);
    Thread collector = new Thread(() -> collectUntilStopped(running, gcEveryMillis), "collector");
    collector.setDaemon(true);
    collector.start();
    List<Double> firstCurve = null;
    int badRuns = 0;
    try (LanguageModel lm =
        new LanguageModel(
            LlamaModel.random(TestModels.tiny(), 9, 0.3, ai.djl.Device.cpu()), tokenizer, base)) {
      for (int run = 1; run <= runs; run++) {
        try (TrainedAdapter trained = AdapterTrainer.train(lm, paddedData(), options(), p -> {})) {
          TrainResult result = trained.result();
          List<Double> curve = result.lossCurve();
          if (firstCurve == null) {
            firstCurve = curve;
          }
          int differsAt = firstDifference(firstCurve, curve);
          boolean bad = result.skippedSteps() > 0 || differsAt >= 0;
          badRuns += bad ? 1 : 0;
          System.out.printf(
              "run %d: skipped %d, loss curve %s%n",
              run,
              result.skippedSteps(),
              differsAt < 0 ? "as run 1" : "differs from run 1 at step " + (differsAt + 1));
        } catch (TrainingFailedException e) {
          badRuns++;
          System.out.printf("run %d: failed: %s%n", run, e.getMessage());
        }
      }
    } finally {
      running.set(false);
    }
    System.out.printf(
        "%d of %d runs skipped a step, failed or diverged from run 1%n", badRuns, runs);
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

  private static int firstDifference(List<Double> a, List<Double> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return i;
      }
    }
    return a.size() == b.size() ? -1 : Math.min(a.size(), b.size());
  }

  /** The data of AdapterTrainerTest.shortHeavilyPaddedBatchesKeepEveryGradientFinite. */
  private static List<TrainingExample> paddedData() {
    List<TrainingExample> data = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String prompt = i % 4 == 0 ? "Ticket " + i + "x".repeat(40) : "T" + i;
      data.add(
          new TrainingExample.Sft(
              "s" + i, List.of(ChatTurn.user(prompt)), i % 3 == 0 ? "" : "ok", false));
    }
    return data;
  }

  private static TrainOptions options() {
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
}
