package io.sluice.curator;

import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Raw events for tests. */
public final class Events {

  public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private Events() {}

  public static RawEvent.Builder base(String id, EventType type) {
    return RawEvent.newBuilder()
        .setId(id)
        .setType(type)
        .setTenant("acme")
        .setTrack("support")
        .setTimestamp(T0)
        .setMetadata(Map.of());
  }

  /**
   * Example i: a question with wording unique to i, ending in {@code promptTail}, rotating over
   * three tenant/track pairs.
   */
  public static RawEvent question(String id, int i, String promptTail) {
    return base(id, EventType.example)
        .setTenant(i % 3 == 0 ? "globex" : "acme")
        .setTrack(i % 2 == 0 ? "support" : "billing")
        .setPrompt(
            "Question "
                + i
                + ": how do I configure feature "
                + i
                + " on device model "
                + (i * 7)
                + "?"
                + promptTail)
        .setCompletion(
            "Open settings, choose feature " + i + ", then set level " + (i % 5) + " and save.")
        .build();
  }

  public static RawEvent example(String id, String prompt, String completion) {
    return base(id, EventType.example).setPrompt(prompt).setCompletion(completion).build();
  }

  public static RawEvent chatExample(String id, String system, String user, String completion) {
    return base(id, EventType.example)
        .setPrompt(List.of(ChatMessages.of(Role.system, system), ChatMessages.of(Role.user, user)))
        .setCompletion(completion)
        .build();
  }

  public static RawEvent preference(String id, String prompt, String chosen, String rejected) {
    return base(id, EventType.preference)
        .setPrompt(prompt)
        .setChosen(chosen)
        .setRejected(rejected)
        .build();
  }

  public static RawEvent feedback(
      String id, String prompt, String response, Object rating, String correction) {
    return base(id, EventType.feedback)
        .setPrompt(prompt)
        .setResponse(response)
        .setRating(rating)
        .setCorrection(correction)
        .build();
  }
}
