package io.sluice.app.model;

import io.sluice.model.LanguageModel;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --adapter}: an optional PEFT LoRA adapter a model command applies to its base. */
final class AdapterOption {

  /** What a command does with the model as adapted. */
  interface Use<T> {
    T with(Adaptation adaptation) throws Exception;
  }

  @Option(
      names = "--adapter",
      paramLabel = "DIR",
      description = "PEFT LoRA adapter directory to apply.")
  Path adapter;

  /** Runs {@code use} with the adapter loaded onto {@code lm}, or with none when not given. */
  <T> T apply(LanguageModel lm, Use<T> use) throws Exception {
    if (adapter == null) {
      return use.with(Adaptation.NONE);
    }
    try (LoraAdapter lora = LoraAdapter.load(lm.model(), adapter)) {
      return use.with(lora);
    }
  }
}
