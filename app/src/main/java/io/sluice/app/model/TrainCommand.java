package io.sluice.app.model;

import io.sluice.model.LanguageModel;
import io.sluice.model.io.BaseModelIdentity;
import io.sluice.model.lora.LoraConfig;
import io.sluice.model.train.AdapterTrainer;
import io.sluice.model.train.TrainOptions;
import io.sluice.model.train.TrainResult;
import io.sluice.model.train.TrainedAdapter;
import io.sluice.model.train.TrainingExample;
import io.sluice.model.train.TrainingObjective;
import io.sluice.trainer.CuratedExamples;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice train}: a fresh LoRA adapter from a curated JSONL file. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a fresh LoRA adapter (SFT or DPO) on curated JSON lines and write it in PEFT format "
            + "with a training report.")
public final class TrainCommand implements Callable<Integer> {

  /** The defaults are the library's, so that the CLI and the trainer service agree. */
  private static final TrainOptions DEFAULTS = TrainOptions.defaults(TrainingObjective.AUTO);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BaseModelOptions model;

  @Option(
      names = "--base-name",
      paramLabel = "NAME",
      description =
          "Name recorded as the adapter's base_model_name_or_path, "
              + "e.g. meta-llama/Llama-3.2-1B-Instruct (default: the checkpoint's manifest or config.json _name_or_path, else the "
              + "directory's name; never a local path).")
  String baseName;

  @Option(
      names = "--checkpoint-activations",
      description =
          "Recompute each decoder layer in backward instead of keeping "
              + "its activations: much less memory for about one more forward pass of time.")
  boolean checkpointActivations;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "Curated JSON lines, as written by `sluice curate`.")
  Path data;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for the adapter files.")
  Path out;

  @Option(
      names = "--objective",
      defaultValue = "auto",
      description =
          "sft, dpo, sft_dpo, kto (or sft_kto, dpo_kto, sft_dpo_kto) or auto (sft for SFT records, dpo for preference pairs, kto for up/down votes, in that order; default: ${DEFAULT-VALUE}).")
  TrainingObjective objective;

  @Option(names = "--epochs", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
  int epochs = DEFAULTS.epochs();

  @Option(
      names = "--batch-size",
      description = "Sequences (DPO: pairs) per micro-batch (default: ${DEFAULT-VALUE}).")
  int batchSize = DEFAULTS.batchSize();

  @Option(
      names = "--grad-accum",
      description = "Micro-batches per optimiser step (default: ${DEFAULT-VALUE}).")
  int gradAccum = DEFAULTS.gradientAccumulation();

  @Option(names = "--lr", description = "Peak learning rate of SFT (default: ${DEFAULT-VALUE}).")
  double learningRate = DEFAULTS.learningRate();

  @Option(
      names = "--dpo-lr",
      description = "Peak learning rate of DPO (default: ${DEFAULT-VALUE}).")
  double dpoLearningRate = DEFAULTS.dpoLearningRate();

  @Option(names = "--rank", description = "LoRA rank r (default: ${DEFAULT-VALUE}).")
  int rank = DEFAULTS.lora().r();

  @Option(names = "--alpha", description = "LoRA alpha (default: ${DEFAULT-VALUE}).")
  double alpha = DEFAULTS.lora().alpha();

  @Option(names = "--dropout", description = "LoRA dropout (default: ${DEFAULT-VALUE}).")
  double dropout = DEFAULTS.lora().dropout();

  @Option(names = "--rslora", description = "Use rank-stabilised scaling alpha/sqrt(r).")
  boolean rslora;

  @Option(names = "--beta", description = "DPO beta (default: ${DEFAULT-VALUE}).")
  double beta = DEFAULTS.beta();

  @Option(
      names = "--max-length",
      description = "Longest sequence in tokens (default: ${DEFAULT-VALUE}).")
  int maxLength = DEFAULTS.maxLength();

  @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Override
  public Integer call() throws Exception {
    List<TrainingExample> examples = CuratedExamples.readJsonLines(data);
    TrainOptions options =
        new TrainOptions(
                objective,
                new LoraConfig(rank, alpha, dropout, LoraConfig.ALL_LINEAR, rslora),
                epochs,
                batchSize,
                gradAccum,
                learningRate,
                dpoLearningRate,
                DEFAULTS.warmupRatio(),
                DEFAULTS.weightDecay(),
                DEFAULTS.maxGradNorm(),
                beta,
                maxLength,
                seed)
            .withCheckpointActivations(checkpointActivations);
    // Refused before the base is loaded: DPO alone would silently skip the SFT records.
    AdapterTrainer.resolve(objective, examples);
    BaseModelIdentity identity = ModelSupport.baseIdentity(model.base, baseName);
    TrainResult result;
    try (LanguageModel lm = model.load();
        ProgressBar bar = ModelSupport.progressBar("train", 1);
        TrainedAdapter trained =
            AdapterTrainer.train(lm, examples, options, ModelSupport.listener(bar))) {
      trained.save(out, identity);
      result = trained.result();
    }
    var printer = spec.commandLine().getOut();
    printer.printf(
        "%s adapter written to %s: %d train / %d holdout records (%d SFT examples, %d DPO pairs, %d KTO votes used), "
            + "%d steps, loss %.4f -> %.4f%s, %.0f tok/s%n",
        result.objective(),
        out,
        result.trainExamples(),
        result.holdoutExamples(),
        result.sftExamples(),
        result.dpoPairs(),
        result.ktoExamples(),
        result.steps(),
        result.firstLoss(),
        result.finalLoss(),
        Double.isNaN(result.holdoutLoss())
            ? ""
            : String.format(", holdout %.4f", result.holdoutLoss()),
        result.tokensPerSecond());
    printer.flush();
    return 0;
  }
}
