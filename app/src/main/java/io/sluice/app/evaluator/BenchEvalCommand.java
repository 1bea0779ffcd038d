package io.sluice.app.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.LanguageModel;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.skills.BatchedSkillsSuite;
import io.sluice.model.skills.GeneralSkillsSuite;
import io.sluice.model.skills.SuiteResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bench eval}: general-suite scoring speed, batched against one item at a time, in
 * one run.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Score the general-skills suite one item at a time and in batches on the same model; prints items/s"
            + " of both and their ratio, and checks that both give the same accuracies.")
public final class BenchEvalCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description = "Base model (default: the bundled model).")
  Path base;

  @Option(
      names = "--batch-size",
      defaultValue = "64",
      description = "Sequences per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--json", description = "End with one JSON line of the figures.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (LanguageModel lm = LanguageModel.load(base != null ? base : DefaultBaseModel.path())) {
      // Warm-up: the first forward passes pay for libtorch's lazy initialisation.
      BatchedSkillsSuite.evaluate(lm, Adaptation.NONE, batchSize);
      SuiteResult one = GeneralSkillsSuite.evaluate(lm, Adaptation.NONE);
      SuiteResult batched = BatchedSkillsSuite.evaluate(lm, Adaptation.NONE, batchSize);
      double oneRate = one.items() / one.seconds();
      double batchedRate = batched.items() / batched.seconds();
      boolean same = one.skills().equals(batched.skills());
      out.printf(
          "general suite, %d items: one at a time %.1f items/s (%.2f s); batched (batch %d) %.1f items/s (%.2f s);"
              + " speed-up %.1fx; accuracies %s%n",
          one.items(),
          oneRate,
          one.seconds(),
          batchSize,
          batchedRate,
          batched.seconds(),
          batchedRate / oneRate,
          same ? "identical" : "DIFFER: " + one.skills() + " vs " + batched.skills());
      if (json) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("items", one.items());
        node.put("unbatched_items_per_second", oneRate);
        node.put("batched_items_per_second", batchedRate);
        node.put("speedup", batchedRate / oneRate);
        node.put("batch_size", batchSize);
        node.put("identical", same);
        out.println(new ObjectMapper().writeValueAsString(node));
      }
      out.flush();
      return same ? 0 : 1;
    }
  }
}
