package io.sluice.app.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.train.PretrainOptions;
import io.sluice.model.train.PretrainResult;
import io.sluice.model.train.Pretrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice pretrain}: trains the tiny default base model from scratch. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description =
        "Pretrain the tiny default base model on the generated general-skills corpus and save it "
            + "in Hugging Face format (config.json, model.safetensors, tokenizer.json).")
public final class PretrainCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write the model to.")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed for data, initialisation and dropout (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--steps",
      description = "Optimiser steps (default: the committed model's, 2400).")
  Integer steps;

  @Option(names = "--no-eval", description = "Skip the general-skills evaluation at the end.")
  boolean noEval;

  @Option(names = "--json", description = "Print the result as one JSON line at the end.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PretrainOptions d =
        steps == null
            ? PretrainOptions.defaults(out)
            : PretrainOptions.defaults(out).withSteps(steps);
    PretrainOptions options =
        new PretrainOptions(
            out,
            seed,
            d.steps(),
            d.batchSize(),
            d.learningRate(),
            d.warmupSteps(),
            d.weightDecay(),
            d.config(),
            !noEval);
    PretrainResult result;
    try (ProgressBar bar = ModelSupport.progressBar("pretrain", options.steps())) {
      result = Pretrainer.run(options, ModelSupport.listener(bar));
    }
    var printer = spec.commandLine().getOut();
    printer.printf(
        "saved %s after %d steps in %.0f s (loss %.4f -> %.4f)%n",
        result.out(), result.steps(), result.seconds(), result.firstLoss(), result.finalLoss());
    result
        .suite()
        .ifPresent(s -> s.skills().forEach((k, v) -> printer.printf("  %-12s %.3f%n", k, v)));
    if (json) {
      ObjectNode node = ModelSupport.JSON.createObjectNode();
      node.put("out", result.out().toString());
      node.put("steps", result.steps());
      node.put("seconds", result.seconds());
      node.put("final_loss", result.finalLoss());
      result.suite().ifPresent(s -> s.skills().forEach(node.putObject("skills")::put));
      printer.println(ModelSupport.JSON.writeValueAsString(node));
    }
    printer.flush();
    return 0;
  }
}
