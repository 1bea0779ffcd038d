package io.sluice.model.layers;

/**
 * How RoPE's inverse frequencies are adjusted for a longer context than pretraining saw, as {@code
 * rope_scaling} (transformers v4) or {@code rope_parameters} (v5) configure it.
 *
 * <p>Only position-independent schemes are implemented: {@code default}, {@code linear} and {@code
 * llama3} (Llama 3.1 / 3.2). Schemes whose frequencies depend on the sequence length ({@code
 * dynamic}) or that also rescale attention ({@code yarn}, {@code longrope}) are refused when the
 * config is read.
 *
 * @param factor linear: positions are divided by it; llama3: low frequencies are divided by it
 * @param lowFreqFactor llama3: wavelengths above {@code originalMaxPositions / lowFreqFactor} are
 *     fully scaled
 * @param highFreqFactor llama3: wavelengths below {@code originalMaxPositions / highFreqFactor} are
 *     kept; between the two, the scaled and kept frequencies are blended
 * @param originalMaxPositions llama3: the context length of pretraining
 */
public record RopeScaling(
    Type type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions) {

  /** The scaling schemes Sluice computes. */
  public enum Type {
    DEFAULT("default"),
    LINEAR("linear"),
    LLAMA3("llama3");

    private final String hfName;

    Type(String hfName) {
      this.hfName = hfName;
    }

    /** The {@code rope_type} value in config.json. */
    public String hfName() {
      return hfName;
    }
  }

  public static final RopeScaling NONE = new RopeScaling(Type.DEFAULT, 1, 0, 0, 0);

  public RopeScaling {
    if (type != Type.DEFAULT && !(factor >= 1)) {
      throw new IllegalArgumentException("rope scaling factor must be at least 1 but is " + factor);
    }
    if (type == Type.LLAMA3) {
      if (!(lowFreqFactor > 0 && highFreqFactor > lowFreqFactor)) {
        throw new IllegalArgumentException(
            "llama3 rope scaling needs 0 < low_freq_factor < high_freq_factor but has "
                + lowFreqFactor
                + " and "
                + highFreqFactor);
      }
      if (originalMaxPositions <= 0) {
        throw new IllegalArgumentException(
            "llama3 rope scaling needs a positive original_max_position_embeddings but has "
                + originalMaxPositions);
      }
    }
  }

  public static RopeScaling linear(double factor) {
    return new RopeScaling(Type.LINEAR, factor, 0, 0, 0);
  }

  public static RopeScaling llama3(
      double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
    return new RopeScaling(
        Type.LLAMA3, factor, lowFreqFactor, highFreqFactor, originalMaxPositions);
  }

  /**
   * The inverse frequency of each rotated pair i in [0, headDim/2): {@code θ^(-2i/d)}, then scaled
   * as the type says.
   */
  public double[] inverseFrequencies(double theta, int headDim) {
    double[] inv = new double[headDim / 2];
    for (int i = 0; i < inv.length; i++) {
      double base = Math.pow(theta, -2.0 * i / headDim);
      inv[i] =
          switch (type) {
            case DEFAULT -> base;
            case LINEAR -> base / factor;
            case LLAMA3 -> llama3(base);
          };
    }
    return inv;
  }

  /**
   * Llama 3.1's rule: long wavelengths (low frequencies, which pretraining never saw complete a
   * turn) are divided by the factor, short ones are kept, and the band between is interpolated
   * linearly in {@code originalMaxPositions / wavelength}.
   */
  private double llama3(double frequency) {
    double wavelength = 2 * Math.PI / frequency;
    double lowFreqWavelength = originalMaxPositions / lowFreqFactor;
    double highFreqWavelength = originalMaxPositions / highFreqFactor;
    if (wavelength < highFreqWavelength) {
      return frequency;
    }
    if (wavelength > lowFreqWavelength) {
      return frequency / factor;
    }
    double smooth =
        (originalMaxPositions / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
    return (1 - smooth) * frequency / factor + smooth * frequency;
  }
}
