package io.sluice.curator.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Precision and recall of the detector per type over a labeled JSONL corpus, one object a line:
 * {@code {"text": "...", "pii": [{"type": "EMAIL", "value": "jane@x.com"}]}}; every occurrence of a
 * labeled value is an expected span. Spans must match exactly, except names, which count when they
 * overlap (a name with or without its middle word is still found). A leak is a labeled value that
 * the detections do not wholly cover or that the anonymized text still spells out.
 */
final class PiiEvaluation {

  /** Counts and sample misses of one type. */
  static final class Score {
    int truePositives;
    int falsePositives;
    int falseNegatives;

    /**
     * Expected values of this type not wholly covered by detections of any type, or still spelled
     * out in the anonymized text.
     */
    int leaks;

    final List<String> misses = new ArrayList<>();

    double precision() {
      int detected = truePositives + falsePositives;
      return detected == 0 ? 1.0 : (double) truePositives / detected;
    }

    double recall() {
      int expected = truePositives + falseNegatives;
      return expected == 0 ? 1.0 : (double) truePositives / expected;
    }

    int support() {
      return truePositives + falseNegatives;
    }
  }

  private record Expected(int start, int end, PiiType type) {}

  private PiiEvaluation() {}

  static Map<PiiType, Score> evaluate(PiiAnonymizer anonymizer, String resource) {
    Map<PiiType, Score> scores = new EnumMap<>(PiiType.class);
    for (PiiType type : PiiType.values()) {
      scores.put(type, new Score());
    }
    ObjectMapper json = new ObjectMapper();
    try (InputStream in =
            Objects.requireNonNull(PiiEvaluation.class.getResourceAsStream(resource), resource);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          score(anonymizer, json.readTree(line), scores);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return scores;
  }

  private static void score(PiiAnonymizer anonymizer, JsonNode record, Map<PiiType, Score> scores) {
    String text = record.get("text").asText();
    List<Expected> expected = new ArrayList<>();
    for (JsonNode pii : record.get("pii")) {
      PiiType type = PiiType.valueOf(pii.get("type").asText());
      String value = pii.get("value").asText();
      for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length())) {
        expected.add(new Expected(at, at + value.length(), type));
      }
    }
    List<Span> detected = anonymizer.detect(text);
    List<Expected> found = new ArrayList<>();
    for (Span span : detected) {
      Expected match = expected.stream().filter(e -> matches(e, span)).findFirst().orElse(null);
      Score score = scores.get(span.type());
      if (match == null) {
        score.falsePositives++;
        score.misses.add("FP " + text.substring(span.start(), span.end()) + "  in: " + text);
      } else {
        score.truePositives++;
        found.add(match);
      }
    }
    String anonymized = anonymizer.anonymize(text).text();
    for (Expected e : expected) {
      if (!covered(e, detected) || anonymized.contains(text.substring(e.start(), e.end()))) {
        Score score = scores.get(e.type());
        score.leaks++;
        score.misses.add("LEAK " + text.substring(e.start(), e.end()) + "  in: " + text);
      }
      if (!found.contains(e)) {
        Score score = scores.get(e.type());
        score.falseNegatives++;
        score.misses.add("FN " + text.substring(e.start(), e.end()) + "  in: " + text);
      }
    }
  }

  /** Whether every character of {@code expected} lies in some detected span: nothing leaks. */
  private static boolean covered(Expected expected, List<Span> detected) {
    int next = expected.start();
    for (Span span : detected) {
      if (span.start() <= next && span.end() > next) {
        next = span.end();
      }
    }
    return next >= expected.end();
  }

  private static boolean matches(Expected expected, Span span) {
    if (expected.type() != span.type()) {
      return false;
    }
    if (span.type() == PiiType.NAME) {
      return expected.start() < span.end() && span.start() < expected.end();
    }
    return expected.start() == span.start() && expected.end() == span.end();
  }

  /** A table for logs and docs/pii.md. */
  static String report(Map<PiiType, Score> scores) {
    StringBuilder out =
        new StringBuilder(
            "| type | support | precision | recall | leaks | false positives |\n"
                + "|---|---|---|---|---|---|\n");
    scores.forEach(
        (type, score) ->
            out.append(
                String.format(
                    "| %s | %d | %.3f | %.3f | %d | %d |%n",
                    type,
                    score.support(),
                    score.precision(),
                    score.recall(),
                    score.leaks,
                    score.falsePositives)));
    return out.toString();
  }
}
