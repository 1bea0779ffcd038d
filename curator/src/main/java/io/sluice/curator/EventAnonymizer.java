package io.sluice.curator;

import io.sluice.curator.convert.ToolTexts;
import io.sluice.curator.pii.PiiAnonymizer;
import io.sluice.curator.pii.PiiType;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.RawEvent;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;

/**
 * Applies the PII anonymizer to a whole raw event with one session, so a value gets the same
 * placeholder in every field (prompt turns, tool results and call arguments, answers, comment,
 * metadata values; tool definitions are the app's schema and are kept as they are). Fields are
 * visited in schema order, so placeholder numbers are deterministic. Every distinct text is
 * anonymized once; candidates derived from the event look their texts up here and get exactly the
 * event's anonymized strings.
 */
final class EventAnonymizer {

  private final PiiAnonymizer anonymizer;

  EventAnonymizer(PiiAnonymizer anonymizer) {
    this.anonymizer = anonymizer;
  }

  /** The anonymized copy of {@code event}, with PII counts by type name. */
  AnonymizedEvent anonymize(RawEvent event) {
    return anonymize(event, false);
  }

  /**
   * As {@link #anonymize(RawEvent)}; with {@code names}, id, tenant and track are anonymized too,
   * for events that failed validation, whose names are untrusted free text.
   */
  AnonymizedEvent anonymize(RawEvent event, boolean names) {
    PiiAnonymizer.Session session = anonymizer.newSession();
    // By identity: the candidates' texts are the event's own strings, and hashing every text's
    // content for the lookup was a few percent of the curator's time. An equal text in another
    // string is anonymized again by the same session, which gives it the same placeholders.
    Map<String, String> texts = new IdentityHashMap<>();
    UnaryOperator<String> edit =
        text -> text == null ? null : texts.computeIfAbsent(text, session::anonymize);
    RawEvent copy = shallowCopy(event);
    if (names) {
      copy.setId(edit.apply(event.getId()));
      copy.setTenant(edit.apply(event.getTenant()));
      copy.setTrack(edit.apply(event.getTrack()));
    }
    copy.setPrompt(anonymizePrompt(event.getPrompt(), edit));
    copy.setCompletion(edit.apply(event.getCompletion()));
    copy.setCompletionToolCalls(ToolTexts.mapCalls(event.getCompletionToolCalls(), edit));
    copy.setChosen(edit.apply(event.getChosen()));
    copy.setRejected(edit.apply(event.getRejected()));
    copy.setResponse(edit.apply(event.getResponse()));
    copy.setCorrection(edit.apply(event.getCorrection()));
    copy.setComment(edit.apply(event.getComment()));
    Map<String, String> metadata = new TreeMap<>();
    new TreeMap<>(event.getMetadata())
        .forEach((key, value) -> metadata.put(key, edit.apply(value)));
    copy.setMetadata(metadata);
    return new AnonymizedEvent(copy, countsByName(session.counts()), edit);
  }

  /**
   * A new event sharing {@code event}'s field values. Every text field is replaced afterwards; the
   * others (enums, numbers, the timestamp) are immutable. {@code RawEvent.newBuilder(event)} deep
   * copies every field first, and that copy was a few percent of the curator's time.
   */
  private static RawEvent shallowCopy(RawEvent event) {
    RawEvent copy = new RawEvent();
    for (Schema.Field field : RawEvent.getClassSchema().getFields()) {
      copy.put(field.pos(), event.get(field.pos()));
    }
    return copy;
  }

  /** Anonymizes free text that is not part of an event (details, unparseable lines). */
  String anonymizeText(String text) {
    return anonymizer.newSession().anonymize(text);
  }

  private static Object anonymizePrompt(Object prompt, UnaryOperator<String> edit) {
    if (prompt instanceof CharSequence text) {
      return edit.apply(text.toString());
    }
    List<ChatMessage> turns = new ArrayList<>();
    for (Object item : (List<?>) prompt) {
      ChatMessage turn = (ChatMessage) item;
      turns.add(ToolTexts.mapTurn(turn, edit));
    }
    return turns;
  }

  static Map<String, Integer> countsByName(Map<PiiType, Integer> counts) {
    Map<String, Integer> byName = new TreeMap<>();
    counts.forEach(
        (type, count) -> {
          if (count > 0) {
            byName.put(type.name(), count);
          }
        });
    return byName;
  }

  /**
   * An anonymized event.
   *
   * @param event the event with every text field anonymized
   * @param piiCounts spans replaced in the event, by type name
   * @param edit maps a text of the event to its anonymized form; other text is anonymized with the
   *     event's session, so it gets the same placeholders
   */
  record AnonymizedEvent(
      RawEvent event, Map<String, Integer> piiCounts, UnaryOperator<String> edit) {}
}
