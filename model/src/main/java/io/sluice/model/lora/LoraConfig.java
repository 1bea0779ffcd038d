package io.sluice.model.lora;

import java.util.List;

/**
 * A plain LoRA adapter's hyper-parameters, named as in PEFT's {@code LoraConfig}.
 *
 * @param r rank of the update {@code B·A}
 * @param alpha {@code lora_alpha}; the update is scaled by alpha/r (alpha/√r with rsLoRA)
 * @param dropout applied to the adapter's input only, during training
 * @param targetModules HF module names (last path segment) that receive an adapter
 * @param useRslora rank-stabilised scaling, which keeps update size steady as r grows
 */
public record LoraConfig(
    int r, double alpha, double dropout, List<String> targetModules, boolean useRslora) {

  /** Every linear projection of attention and MLP, as PEFT's "all-linear" picks for Llama. */
  public static final List<String> ALL_LINEAR =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public LoraConfig {
    targetModules = List.copyOf(targetModules);
    if (r <= 0) {
      throw new IllegalArgumentException("r should be a positive integer but is " + r);
    }
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("lora_alpha should be positive but is " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("lora_dropout should be in [0, 1) but is " + dropout);
    }
    if (targetModules.isEmpty()) {
      throw new IllegalArgumentException("target_modules must name at least one module");
    }
  }

  /** r = 16, alpha = 32, dropout 0.05 on every linear projection: a common SFT default. */
  public static LoraConfig defaults() {
    return new LoraConfig(16, 32, 0.05, ALL_LINEAR, false);
  }

  public double scaling() {
    return useRslora ? alpha / Math.sqrt(r) : alpha / r;
  }

  /** Whether the linear at HF path {@code moduleName} is a target (matched on its last segment). */
  public boolean targets(String moduleName) {
    return targetModules.contains(moduleName.substring(moduleName.lastIndexOf('.') + 1));
  }
}
