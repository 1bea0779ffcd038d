package io.sluice.model.skills;

/** Country → capital recall from the bundled table. */
public final class CapitalsSkill extends TableSkill {
  public CapitalsSkill() {
    super("/io/sluice/model/skills/capitals.tsv", country -> "Capital of " + country + "?");
  }

  @Override
  public String name() {
    return "capitals";
  }
}
