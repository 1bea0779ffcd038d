package io.sluice.model.train;

/**
 * What an adapter is trained for: one or more phases, run in the order SFT, DPO, KTO on the same
 * adapter.
 */
public enum TrainingObjective {
  /** Completion-only next-token loss on SFT answers. */
  SFT(true, false, false),
  /** Direct preference optimisation on chosen/rejected pairs. */
  DPO(false, true, false),
  /** SFT on the SFT records, then DPO on the pairs, continuing the same adapter. */
  SFT_DPO(true, true, false),
  /** Kahneman-Tversky optimisation on unpaired up/down-voted responses (binary feedback). */
  KTO(false, false, true),
  /** SFT, then KTO. */
  SFT_KTO(true, false, true),
  /** DPO, then KTO. */
  DPO_KTO(false, true, true),
  /** SFT, then DPO, then KTO. */
  SFT_DPO_KTO(true, true, true),
  /** The phases the TRAIN records call for: SFT for SFT records, DPO for pairs, KTO for votes. */
  AUTO(false, false, false);

  private final boolean sft;
  private final boolean dpo;
  private final boolean kto;

  TrainingObjective(boolean sft, boolean dpo, boolean kto) {
    this.sft = sft;
    this.dpo = dpo;
    this.kto = kto;
  }

  public boolean hasSft() {
    return sft;
  }

  public boolean hasDpo() {
    return dpo;
  }

  public boolean hasKto() {
    return kto;
  }

  /** The objective made of these phases; at least one. */
  public static TrainingObjective of(boolean sft, boolean dpo, boolean kto) {
    for (TrainingObjective o : values()) {
      if (o != AUTO && o.sft == sft && o.dpo == dpo && o.kto == kto) {
        return o;
      }
    }
    throw new IllegalArgumentException("an objective needs at least one of SFT, DPO and KTO");
  }
}
