package io.sluice.curator.pii;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces PII with typed, numbered placeholders ({@code <EMAIL_1>}, {@code <PHONE_2>}). Plain
 * Java, no Kafka; immutable and thread-safe. Numbering lives in a {@link Session}, one per record,
 * so the same value gets the same placeholder in the prompt, the completion and every other field.
 *
 * <p>Placeholders already in the input (data curated twice) are kept and never counted. A detected
 * value never takes a number a placeholder in the input already holds; if the input spells a
 * placeholder whose number an earlier field already gave to a detected value, that literal is
 * renumbered to the next free number (the same way everywhere in the record), so two different
 * values never share a placeholder.
 */
public final class PiiAnonymizer {

  private final PiiScanner scanner;

  public PiiAnonymizer(PiiConfig config) {
    this.scanner = new PiiScanner(Objects.requireNonNull(config, "config"));
  }

  /** One record's worth of anonymization; not thread-safe, and cheap to create. */
  public Session newSession() {
    return new Session();
  }

  /** Anonymizes a single string in a session of its own. */
  public AnonymizedText anonymize(String text) {
    Session session = newSession();
    return new AnonymizedText(session.anonymize(text), session.counts());
  }

  /** The values detected in {@code text}, non-overlapping and in text order (for evaluation). */
  List<Span> detect(String text) {
    return scanner.scan(text).spans();
  }

  /** Placeholder numbering for one record: call {@link #anonymize} for each of its fields. */
  public final class Session {

    private final Map<PiiType, Map<String, Integer>> numbers = new EnumMap<>(PiiType.class);

    /** Numbers given to detected values, per type. */
    private final Map<PiiType, BitSet> detected = new EnumMap<>(PiiType.class);

    /** Numbers in use, by detected values or by placeholders found in the input, per type. */
    private final Map<PiiType, BitSet> taken = new EnumMap<>(PiiType.class);

    /** How each placeholder found in the input is written out. */
    private final Map<String, String> literals = new HashMap<>();

    /** Names seen after a cue, by surface form, so a later bare "Maria" is replaced too. */
    private final Map<String, String> knownNames = new LinkedHashMap<>();

    private Session() {}

    /** Returns {@code text} with every detected value replaced by its placeholder. */
    public String anonymize(String text) {
      Objects.requireNonNull(text, "text");
      PiiScanner.Result result = scanner.scan(text);
      List<Span> spans = withKnownNames(text, result);
      List<Replacement> replacements = new ArrayList<>(spans.size() + result.literals().size());
      // Placeholders in the input claim their numbers before this text's values are numbered.
      for (Placeholders.Literal literal : result.literals()) {
        replacements.add(
            new Replacement(literal.start(), literal.end(), literalOutput(text, literal)));
      }
      for (Span span : spans) {
        replacements.add(new Replacement(span.start(), span.end(), placeholder(span, text)));
      }
      if (replacements.isEmpty()) {
        return text;
      }
      replacements.sort((a, b) -> Integer.compare(a.start, b.start));
      StringBuilder out = new StringBuilder(text.length() + 16 * replacements.size());
      int copied = 0;
      for (Replacement replacement : replacements) {
        out.append(text, copied, replacement.start).append(replacement.text);
        copied = replacement.end;
      }
      return out.append(text, copied, text.length()).toString();
    }

    /** Distinct values replaced so far in this session, by type; types with none are absent. */
    public Map<PiiType, Integer> counts() {
      Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
      numbers.forEach((type, byKey) -> counts.put(type, byKey.size()));
      return Collections.unmodifiableMap(counts);
    }

    private String placeholder(Span span, String text) {
      Map<String, Integer> byKey = numbers.computeIfAbsent(span.type(), type -> new HashMap<>());
      Integer number = byKey.get(span.key());
      if (number == null) {
        number = nextFree(span.type());
        byKey.put(span.key(), number);
        detected.computeIfAbsent(span.type(), type -> new BitSet()).set(number);
      }
      if (span.type() == PiiType.NAME) {
        rememberName(text.substring(span.start(), span.end()), span.key());
      }
      return span.type().placeholder(number);
    }

    private String literalOutput(String text, Placeholders.Literal literal) {
      String spelled = text.substring(literal.start(), literal.end());
      String output = literals.get(spelled);
      if (output == null) {
        BitSet used = detected.get(literal.type());
        if (used != null && used.get(literal.number())) {
          output = literal.type().placeholder(nextFree(literal.type()));
        } else {
          taken(literal.type()).set(literal.number());
          output = spelled;
        }
        literals.put(spelled, output);
      }
      return output;
    }

    private int nextFree(PiiType type) {
      BitSet used = taken(type);
      int number = used.nextClearBit(1);
      used.set(number);
      return number;
    }

    private BitSet taken(PiiType type) {
      return taken.computeIfAbsent(type, t -> new BitSet());
    }

    /** Adds bare occurrences of names already found after a cue, here or in earlier fields. */
    private List<Span> withKnownNames(String text, PiiScanner.Result result) {
      List<Span> spans = result.spans();
      if (knownNames.isEmpty() && !hasName(spans)) {
        return spans;
      }
      Map<String, String> names = new LinkedHashMap<>(knownNames);
      for (Span span : spans) {
        if (span.type() == PiiType.NAME) {
          addNameForms(names, text.substring(span.start(), span.end()), span.key());
        }
      }
      List<Span> all = new ArrayList<>(spans.size() + 4);
      for (Span span : spans) {
        // "Thanks Maria!" after "my name is Maria Lopez" is the same person: one placeholder.
        String key =
            span.type() == PiiType.NAME
                ? names.get(text.substring(span.start(), span.end()))
                : null;
        all.add(key == null ? span : new Span(span.start(), span.end(), PiiType.NAME, key));
      }
      names.forEach(
          (surface, key) -> {
            for (int at = text.indexOf(surface);
                at >= 0;
                at = text.indexOf(surface, at + surface.length())) {
              Span occurrence = new Span(at, at + surface.length(), PiiType.NAME, key);
              if (!Chars.isWordCharAt(text, at - 1)
                  && !Chars.isWordCharAt(text, occurrence.end())
                  && !PiiScanner.overlapsAny(occurrence, all)
                  && !insideLiteral(occurrence, result.literals())) {
                all.add(occurrence);
              }
            }
          });
      return all;
    }

    private static boolean hasName(List<Span> spans) {
      for (Span span : spans) {
        if (span.type() == PiiType.NAME) {
          return true;
        }
      }
      return false;
    }

    private static boolean insideLiteral(Span span, List<Placeholders.Literal> literals) {
      return literals.stream().anyMatch(l -> span.start() < l.end() && l.start() < span.end());
    }

    private void rememberName(String surface, String key) {
      addNameForms(knownNames, surface, key);
    }

    /**
     * A full name and each of its words of three or more letters, all under the full name's key.
     */
    private static void addNameForms(Map<String, String> names, String surface, String key) {
      names.putIfAbsent(surface, key);
      if (surface.indexOf(' ') < 0) {
        return;
      }
      int start = 0;
      while (start < surface.length()) {
        int space = surface.indexOf(' ', start);
        int end = space < 0 ? surface.length() : space;
        if (end - start >= 3) {
          names.putIfAbsent(surface.substring(start, end), key);
        }
        start = end + 1;
      }
    }
  }

  private record Replacement(int start, int end, String text) {}
}
