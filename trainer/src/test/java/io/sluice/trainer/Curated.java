package io.sluice.trainer;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.Split;
import io.sluice.schemas.event.ChatMessages;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Curated records as the curator writes them, for the trainer's tests. */
final class Curated {
  private Curated() {}

  static CuratedExample sft(
      String tenant, String track, String id, String prompt, String completion, Split split) {
    return base(tenant, track, id, prompt, split)
        .setKind(ExampleKind.SFT)
        .setOrigin(Origin.EXAMPLE)
        .setCompletion(completion)
        .build();
  }

  static CuratedExample pair(
      String tenant, String track, String id, String prompt, String chosen, String rejected) {
    return base(tenant, track, id, prompt, Split.TRAIN)
        .setKind(ExampleKind.PREFERENCE)
        .setOrigin(Origin.PREFERENCE)
        .setChosen(chosen)
        .setRejected(rejected)
        .build();
  }

  static CuratedExample vote(
      String tenant, String track, String id, String prompt, String response, boolean up) {
    return base(tenant, track, id, prompt, Split.TRAIN)
        .setKind(ExampleKind.BINARY_FEEDBACK)
        .setOrigin(Origin.FEEDBACK_VOTE)
        .setCompletion(response)
        .setLabel(up ? FeedbackLabel.DESIRABLE : FeedbackLabel.UNDESIRABLE)
        .build();
  }

  private static CuratedExample.Builder base(
      String tenant, String track, String id, String prompt, Split split) {
    return CuratedExample.newBuilder()
        .setId(id)
        .setSourceId(id)
        .setTenant(tenant)
        .setTrack(track)
        .setPrompt(List.of(ChatMessages.of(Role.user, prompt)))
        .setSplit(split)
        .setContentHash("h-" + id)
        .setLineage(new Lineage(Topics.EVENTS_RAW.name(), 0, 0L))
        .setEventTimestamp(Instant.now())
        .setCuratedAt(Instant.now())
        .setPiiCounts(Map.of())
        .setMetadata(Map.of());
  }

  /** Sends in order, acks=all; returns when every record is written. */
  static void send(String bootstrap, List<CuratedExample> records) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<String, CuratedExample> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), Topics.EXAMPLES_CURATED.valueSerde().serializer())) {
      for (CuratedExample r : records) {
        producer.send(
            new ProducerRecord<>(
                Topics.EXAMPLES_CURATED.name(), Topics.trackKey(r.getTenant(), r.getTrack()), r));
      }
      producer.flush();
    }
  }
}
