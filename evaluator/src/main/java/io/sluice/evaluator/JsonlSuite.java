package io.sluice.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.BatchScoring;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.io.TokenizedExample;
import io.sluice.model.layers.Adaptation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A general suite read from JSON lines, in the spirit of lm-evaluation-harness, for bases other
 * than the bundled model. Each line is one item of a task ({@code "task"}, default "general"):
 *
 * <ul>
 *   <li>generation: {@code {"task", "prompt", "answer"}}, scored by greedy exact match (task score
 *       {@code <task>});
 *   <li>multiple choice: {@code {"task", "prompt", "choices": [..], "answer_index"}}, scored by the
 *       log-likelihood of each choice as the answer: {@code <task>} is acc (the likeliest choice is
 *       right) and {@code <task>.acc_norm} the same with the log-likelihood divided by the choice's
 *       length in UTF-8 bytes, which removes the bias toward short choices.
 * </ul>
 *
 * The prompt is one user turn in the model's chat template.
 */
public final class JsonlSuite implements GeneralSuite {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SLACK_TOKENS = 2;

  private record Item(
      String task, String prompt, String answer, List<String> choices, int answerIndex) {}

  private final String id;
  private final List<Item> items;

  private JsonlSuite(String id, List<Item> items) {
    this.id = id;
    this.items = items;
  }

  /** Reads a suite file; a bad line fails with {@code file:line} and what is wrong. */
  public static JsonlSuite read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return parse(file.toString(), lines);
  }

  static JsonlSuite parse(String source, List<String> lines) {
    List<Item> items = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String where = source + ":" + (n + 1);
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        throw new ModelFormatException(where + ": not JSON: " + e.getMessage(), e);
      }
      String task = node.path("task").asText("general");
      if (!node.path("prompt").isTextual()) {
        throw new ModelFormatException(where + ": needs a string \"prompt\"");
      }
      String prompt = node.get("prompt").asText();
      if (node.has("choices")) {
        JsonNode choices = node.get("choices");
        if (!choices.isArray() || choices.size() < 2) {
          throw new ModelFormatException(
              where + ": \"choices\" must be an array of at least two strings");
        }
        List<String> list = new ArrayList<>();
        choices.forEach(c -> list.add(c.asText()));
        int index = node.path("answer_index").asInt(-1);
        if (!node.path("answer_index").canConvertToInt() || index < 0 || index >= list.size()) {
          throw new ModelFormatException(
              where + ": \"answer_index\" must index \"choices\" (0.." + (list.size() - 1) + ")");
        }
        items.add(new Item(task, prompt, null, list, index));
      } else if (node.path("answer").isTextual()) {
        items.add(new Item(task, prompt, node.get("answer").asText(), null, -1));
      } else {
        throw new ModelFormatException(
            where + ": needs \"answer\" (generation) or \"choices\" and \"answer_index\"");
      }
    }
    if (items.isEmpty()) {
      throw new ModelFormatException(source + " holds no suite items");
    }
    return new JsonlSuite("jsonl:" + sha256(lines), items);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Map<String, Double> evaluate(LanguageModel lm, Adaptation adaptation, int batchSize) {
    Map<String, double[]> sums = new LinkedHashMap<>(); // task → {correct, items}
    List<Item> generation = items.stream().filter(i -> i.choices() == null).toList();
    if (!generation.isEmpty()) {
      List<long[]> prompts = new ArrayList<>();
      int[] budgets = new int[generation.size()];
      for (int i = 0; i < generation.size(); i++) {
        prompts.add(
            lm.tokenizer().encodePrompt(List.of(ChatTurn.user(generation.get(i).prompt()))));
        budgets[i] = lm.tokenizer().encode(generation.get(i).answer()).length + SLACK_TOKENS;
      }
      List<long[]> answers = BatchScoring.greedy(lm, adaptation, prompts, budgets, batchSize);
      for (int i = 0; i < generation.size(); i++) {
        boolean right =
            lm.tokenizer()
                .decode(answers.get(i))
                .strip()
                .equals(generation.get(i).answer().strip());
        count(sums, generation.get(i).task(), right);
      }
    }
    List<Item> choice = items.stream().filter(i -> i.choices() != null).toList();
    if (!choice.isEmpty()) {
      List<TokenizedExample> examples = new ArrayList<>();
      for (Item item : choice) {
        for (String c : item.choices()) {
          examples.add(lm.tokenizer().encodeExample(List.of(ChatTurn.user(item.prompt())), c));
        }
      }
      List<BatchScoring.AnswerLogProb> scores =
          BatchScoring.answerLogProbs(lm, adaptation, examples, batchSize);
      int k = 0;
      for (Item item : choice) {
        int best = 0;
        int bestNorm = 0;
        double[] raw = new double[item.choices().size()];
        double[] norm = new double[raw.length];
        for (int c = 0; c < raw.length; c++) {
          raw[c] = scores.get(k++).sum();
          norm[c] =
              raw[c] / Math.max(1, item.choices().get(c).getBytes(StandardCharsets.UTF_8).length);
          best = raw[c] > raw[best] ? c : best;
          bestNorm = norm[c] > norm[bestNorm] ? c : bestNorm;
        }
        count(sums, item.task(), best == item.answerIndex());
        count(sums, item.task() + ".acc_norm", bestNorm == item.answerIndex());
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    sums.forEach((task, s) -> out.put(task, s[0] / s[1]));
    return out;
  }

  private static void count(Map<String, double[]> sums, String task, boolean right) {
    double[] s = sums.computeIfAbsent(task, t -> new double[2]);
    s[0] += right ? 1 : 0;
    s[1]++;
  }

  private static String sha256(List<String> lines) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      lines.forEach(l -> digest.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
