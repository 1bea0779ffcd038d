package io.sluice.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.skills.GeneralSkillsSuite;
import io.sluice.model.skills.Skill;
import io.sluice.model.skills.SkillItem;
import io.sluice.model.train.TrainingExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * General data mixed into every training set against catastrophic forgetting. For the bundled model
 * it is drawn from its general-skills generator (the skills the evaluator tests, never their
 * evaluation items); for any other base from a JSON-lines file of general instruction data, one
 * {@code {"prompt": "...", "completion": "..."}} object per line.
 */
interface Rehearsal {

  /** {@code count} SFT examples drawn with a generator seeded by {@code seed}. */
  List<TrainingExample> draw(int count, long seed);

  /** The bundled model's general-skills generator, round-robin over its skills. */
  static Rehearsal generalSkills() {
    return (count, seed) -> {
      Random random = new Random(seed);
      List<Skill> skills = GeneralSkillsSuite.skills();
      List<TrainingExample> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SkillItem item = skills.get(i % skills.size()).sample(random);
        out.add(
            new TrainingExample.Sft(
                "rehearsal-" + i, GeneralSkillsSuite.asMessages(item), item.answer(), false));
      }
      return out;
    };
  }

  /** Items sampled (with replacement) from a JSONL file, read once at start-up. */
  static Rehearsal fromFile(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<TrainingExample> items = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (IOException e) {
        throw new ModelFormatException(file + ":" + number + ": not valid JSON");
      }
      if (!node.path("prompt").isTextual() || !node.path("completion").isTextual()) {
        throw new ModelFormatException(
            file + ":" + number + ": needs string fields 'prompt' and 'completion'");
      }
      items.add(
          new TrainingExample.Sft(
              "rehearsal-" + number,
              List.of(ChatTurn.user(node.get("prompt").asText())),
              node.get("completion").asText(),
              false));
    }
    if (items.isEmpty()) {
      throw new ModelFormatException(file + " holds no rehearsal items");
    }
    return (count, seed) -> {
      Random random = new Random(seed);
      List<TrainingExample> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        out.add(items.get(random.nextInt(items.size())));
      }
      return out;
    };
  }
}
