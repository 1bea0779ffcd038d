package io.sluice.model;

/** What an adapter is trained for. */
public enum Objective {
  /** Completion-only next-token loss on SFT answers. */
  SFT,
  /** Direct preference optimisation on chosen/rejected pairs. */
  DPO,
  /** DPO when every training record is a preference pair; otherwise SFT on all answers. */
  AUTO
}
