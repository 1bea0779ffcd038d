package io.sluice.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.io.BaseModelIdentity;
import io.sluice.model.lora.LoraAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An adapter fresh from {@link AdapterTrainer}, in memory, with what its run did. Saving is a
 * separate step so a service can write to a temporary directory, rename, publish and commit.
 */
public record TrainedAdapter(LoraAdapter adapter, TrainResult result) implements AutoCloseable {
  public static final String REPORT_FILE = "training_report.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Writes the PEFT files and training_report.json into {@code dir}.
   *
   * @param baseModelName what adapter_config.json names as base_model_name_or_path: a model name
   *     such as {@code sluice-tiny}, never a machine-local path
   */
  public void save(Path dir, String baseModelName) throws IOException {
    adapter.save(dir, baseModelName);
    Files.writeString(
        dir.resolve(REPORT_FILE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report()));
  }

  /**
   * Like {@link #save(Path, String)} with the base's portable name, and its weights' SHA-256 in the
   * training report, so the base an adapter was trained on can be checked later.
   */
  public void save(Path dir, BaseModelIdentity base) throws IOException {
    adapter.save(dir, base.name());
    ObjectNode report = report();
    report.put("base_model", base.name());
    report.put("base_model_sha256", base.sha256());
    Files.writeString(
        dir.resolve(REPORT_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
  }

  /** The training report: hyper-parameters, the loss curve, tokens, seconds and device. */
  public ObjectNode report() {
    TrainOptions o = result.options();
    ObjectNode report = JSON.createObjectNode();
    report.put("objective", result.objective().name());
    report.put("train_examples", result.trainExamples());
    report.put("sft_examples", result.sftExamples());
    report.put("dpo_pairs", result.dpoPairs());
    report.put("kto_examples", result.ktoExamples());
    report.put("holdout_examples", result.holdoutExamples());
    report.put("truncated_examples", result.truncatedExamples());
    report.put("steps", result.steps());
    report.put("skipped_steps", result.skippedSteps());
    report.put("epochs", o.epochs());
    report.put("batch_size", o.batchSize());
    report.put("gradient_accumulation", o.gradientAccumulation());
    report.put("learning_rate", o.learningRate());
    report.put("dpo_learning_rate", o.dpoLearningRate());
    report.put("warmup_ratio", o.warmupRatio());
    report.put("weight_decay", o.weightDecay());
    report.put("max_grad_norm", o.maxGradNorm());
    report.put("beta", o.beta());
    report.put("max_length", o.maxLength());
    report.put("seed", o.seed());
    report.put("checkpoint_activations", o.checkpointActivations());
    report.put("lora_r", o.lora().r());
    report.put("lora_alpha", o.lora().alpha());
    report.put("lora_dropout", o.lora().dropout());
    report.put("lora_parameters", adapter.parameterCount());
    report.put("first_loss", result.firstLoss());
    report.put("final_loss", result.finalLoss());
    if (!Double.isNaN(result.holdoutLoss())) {
      report.put("holdout_loss", result.holdoutLoss());
    }
    ArrayNode curve = report.putArray("loss_curve");
    result.lossCurve().forEach(curve::add);
    report.put("tokens", result.tokens());
    report.put("seconds", result.seconds());
    report.put("tokens_per_second", result.tokensPerSecond());
    report.put("device", result.device());
    return report;
  }

  @Override
  public void close() {
    adapter.close();
  }
}
