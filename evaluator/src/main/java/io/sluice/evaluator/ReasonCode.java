package io.sluice.evaluator;

/**
 * Machine-readable reasons of a decision; the names are public interface (topics, metrics, docs).
 */
public enum ReasonCode {
  /** Every rule held; the only reason of an automatic PROMOTE. */
  PASSED,
  /** A general task dropped by more than ε against the champion. */
  FORGETTING,
  /** A general task dropped by more than the cumulative budget against the bare base. */
  FORGETTING_BUDGET,
  /** The domain metric improved on the champion by less than δ. */
  DOMAIN_NOT_IMPROVED,
  /** The bootstrap interval of the per-item domain difference does not exclude zero. */
  NOT_SIGNIFICANT,
  /** The track has no holdout items, so nothing can show an improvement. */
  NO_HOLDOUT,
  /**
   * The adapter does not fit the base: unknown keys, wrong shapes, non-finite values, bad config.
   */
  LOAD_CHECK_FAILED,
  /** The adapter leaves the base's outputs unchanged on the probe set. */
  NO_EFFECT,
  /** The adapter was trained on other base weights (or records none). */
  BASE_MISMATCH,
  /** The adapter's files cannot be read (truncated or garbled safetensors, invalid JSON). */
  CORRUPT_ADAPTER,
  /** The adapter directory or one of its files does not exist. */
  ADAPTER_MISSING,
  /** The adapter would not load under PEFT's or vLLM's rules. */
  SERVING_LINT,
  /** The track's champion cannot be loaded, so there is nothing sound to compare with. */
  CHAMPION_UNAVAILABLE,
  /** Scoring itself failed; the message says how. */
  EVALUATION_FAILED,
  /** An operator promoted the adapter, overriding the gate. */
  MANUAL_PROMOTE,
  /** An operator restored the previous champion. */
  ROLLBACK
}
