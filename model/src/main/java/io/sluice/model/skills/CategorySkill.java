package io.sluice.model.skills;

/** Word → category recall from the bundled table. */
public final class CategorySkill extends TableSkill {
  public CategorySkill() {
    super("/io/sluice/model/skills/categories.tsv", word -> "Category of " + word + "?");
  }

  @Override
  public String name() {
    return "category";
  }
}
