package io.sluice.model.skills;

/** One question of a skill and its single correct answer (scored by exact match). */
public record SkillItem(String prompt, String answer) {}
