package io.sluice.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.train.TrainOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run's hyper-parameters by name, the same in lineage.json and on the candidate event. */
final class Hyperparameters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Hyperparameters() {}

  static Map<String, String> of(TrainOptions o) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("objective", o.objective().name());
    out.put("lr", Double.toString(o.learningRate()));
    out.put("dpo_lr", Double.toString(o.dpoLearningRate()));
    out.put("epochs", Integer.toString(o.epochs()));
    out.put("batch_size", Integer.toString(o.batchSize()));
    out.put("grad_accum", Integer.toString(o.gradientAccumulation()));
    out.put("warmup_ratio", Double.toString(o.warmupRatio()));
    out.put("weight_decay", Double.toString(o.weightDecay()));
    out.put("max_grad_norm", Double.toString(o.maxGradNorm()));
    out.put("beta", Double.toString(o.beta()));
    out.put("kto_beta", Double.toString(o.kto().beta()));
    out.put("kto_desirable_weight", Double.toString(o.kto().desirableWeight()));
    out.put("kto_undesirable_weight", Double.toString(o.kto().undesirableWeight()));
    out.put("max_length", Integer.toString(o.maxLength()));
    out.put("seed", Long.toString(o.seed()));
    out.put("lora_r", Integer.toString(o.lora().r()));
    out.put("lora_alpha", Double.toString(o.lora().alpha()));
    out.put("lora_dropout", Double.toString(o.lora().dropout()));
    out.put("lora_target_modules", String.join(",", o.lora().targetModules()));
    return out;
  }

  static ObjectNode json(TrainOptions o) {
    ObjectNode node = JSON.createObjectNode();
    of(o).forEach(node::put);
    return node;
  }
}
