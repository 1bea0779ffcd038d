package io.sluice.model;

/**
 * How to pick each next token.
 *
 * @param temperature 0 means greedy
 * @param topP nucleus size in (0, 1]; 1 keeps the whole distribution
 */
public record GenerationOptions(int maxNewTokens, double temperature, double topP, long seed) {
  public GenerationOptions {
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("maxNewTokens must be positive but is " + maxNewTokens);
    }
    if (temperature < 0) {
      throw new IllegalArgumentException("temperature must be >= 0 but is " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top-p must be within (0, 1] but is " + topP);
    }
  }

  public static GenerationOptions greedy(int maxNewTokens) {
    return new GenerationOptions(maxNewTokens, 0, 1, 0);
  }
}
