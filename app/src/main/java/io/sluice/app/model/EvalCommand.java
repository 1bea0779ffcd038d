package io.sluice.app.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.LanguageModel;
import io.sluice.model.skills.GeneralSkillsSuite;
import io.sluice.model.skills.SuiteResult;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice eval}: scores an evaluation suite. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Score the general-skills suite (greedy exact match per skill) of a base model, optionally with an adapter.")
public final class EvalCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--suite",
      defaultValue = GeneralSkillsSuite.NAME,
      description = "Suite to run; only 'general' exists (default: ${DEFAULT-VALUE}).")
  String suite;

  @Mixin BaseModelOptions model;

  @Mixin AdapterOption adapter;

  @Option(
      names = "--json",
      description = "End with one JSON line: {\"skills\": {...}, \"mean\": .., ...}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!suite.equals(GeneralSkillsSuite.NAME)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "unknown suite '" + suite + "'; available: general");
    }
    SuiteResult result;
    try (LanguageModel lm = model.load()) {
      result = adapter.apply(lm, adaptation -> GeneralSkillsSuite.evaluate(lm, adaptation));
    }
    var out = spec.commandLine().getOut();
    result.skills().forEach((k, v) -> out.printf("%-12s %.3f%n", k, v));
    out.printf(
        "%-12s %.3f (%d items, %.1f s)%n", "mean", result.mean(), result.items(), result.seconds());
    if (json) {
      ObjectNode node = ModelSupport.JSON.createObjectNode();
      result.skills().forEach(node.putObject("skills")::put);
      node.put("mean", result.mean());
      node.put("min", result.min());
      node.put("items", result.items());
      node.put("seconds", result.seconds());
      out.println(ModelSupport.JSON.writeValueAsString(node));
    }
    out.flush();
    return 0;
  }
}
