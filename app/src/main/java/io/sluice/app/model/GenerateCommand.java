package io.sluice.app.model;

import io.sluice.model.GenerationOptions;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.ChatTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice generate}: one chat answer from a base model, optionally with an adapter. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generate an answer to a prompt (greedy, or temperature/top-p sampling; KV cache; stops at eos).")
public final class GenerateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BaseModelOptions model;

  @Mixin AdapterOption adapter;

  @Option(names = "--prompt", required = true, description = "The user's message.")
  String prompt;

  @Option(names = "--system", description = "An optional system message.")
  String system;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "128",
      description = "Token limit (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description = "0 is greedy (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--top-p",
      defaultValue = "1.0",
      description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    GenerationOptions options = new GenerationOptions(maxNewTokens, temperature, topP, seed);
    List<ChatTurn> messages = new ArrayList<>();
    if (system != null) {
      messages.add(new ChatTurn("system", system));
    }
    messages.add(ChatTurn.user(prompt));
    try (LanguageModel lm = model.load()) {
      String answer = adapter.apply(lm, adaptation -> lm.chat(messages, adaptation, options));
      spec.commandLine().getOut().println(answer);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
