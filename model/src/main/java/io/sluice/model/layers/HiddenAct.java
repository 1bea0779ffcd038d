package io.sluice.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The MLP's gate activation, config.json's {@code hidden_act}, with transformers' names. */
public enum HiddenAct {
  /** {@code silu} (alias {@code swish}): x·σ(x), every Llama, Qwen2 and Mistral checkpoint. */
  SILU("silu"),
  /** {@code gelu}: the exact x·Φ(x) with the error function. */
  GELU("gelu"),
  /** {@code gelu_pytorch_tanh} (alias {@code gelu_new}): the tanh approximation. */
  GELU_TANH("gelu_pytorch_tanh"),
  /** {@code relu}. */
  RELU("relu");

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private final String hfName;

  HiddenAct(String hfName) {
    this.hfName = hfName;
  }

  public String hfName() {
    return hfName;
  }

  /** The activation for a {@code hidden_act} value, or null when Sluice does not implement it. */
  public static HiddenAct fromHf(String name) {
    return switch (name) {
      case "silu", "swish" -> SILU;
      case "gelu" -> GELU;
      case "gelu_pytorch_tanh", "gelu_new" -> GELU_TANH;
      case "relu" -> RELU;
      default -> null;
    };
  }

  /** x: any shape → same shape. */
  public NDArray apply(NDArray x) {
    return switch (this) {
      case SILU -> x.mul(Activation.sigmoid(x));
      case GELU ->
          x.mul(x.mul(Scalars.of(x, (float) (1 / Math.sqrt(2)))).erf().add(1f))
              .mul(Scalars.of(x, 0.5f));
      case GELU_TANH ->
          x.mul(
                  x.pow(Scalars.of(x, 3f))
                      .mul(Scalars.of(x, 0.044715f))
                      .add(x)
                      .mul(Scalars.of(x, (float) SQRT_2_OVER_PI))
                      .tanh()
                      .add(1f))
              .mul(Scalars.of(x, 0.5f));
      case RELU -> Activation.relu(x);
    };
  }
}
