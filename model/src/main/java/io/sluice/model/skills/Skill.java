package io.sluice.model.skills;

import java.util.List;
import java.util.Random;

/**
 * A general skill of the default model: a generator of training items and a fixed evaluation set.
 * Algorithmic skills never train on their evaluation items (they test generalisation); knowledge
 * skills evaluate on exactly what pretraining taught (they test retention, which is what
 * fine-tuning destroys).
 */
public interface Skill {
  String name();

  /** A training item; algorithmic skills never return one of {@link #evalSet()}. */
  SkillItem sample(Random random);

  /** The fixed, ordered evaluation items; the same in every JVM. */
  List<SkillItem> evalSet();
}
