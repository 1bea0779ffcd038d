package io.sluice.model;

/** What an adapter is trained for. */
public enum TrainingObjective {
  /** Completion-only next-token loss on SFT answers. */
  SFT,
  /** Direct preference optimisation on chosen/rejected pairs. */
  DPO,
  /** SFT on the SFT records, then DPO on the pairs, continuing the same adapter. */
  SFT_DPO,
  /** DPO when every training record is a pair, SFT when none is, SFT_DPO when both kinds are there. */
  AUTO
}
