package io.sluice.trainer;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.RegistryEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes registry entries as the evaluator would, for the trainer's init=champion tests. */
final class Registry {
  private Registry() {}

  static void promote(String bootstrap, String tenant, String track, String adapterId, Path dir) {
    AdapterRef ref =
        AdapterRef.newBuilder()
            .setCandidateId(adapterId)
            .setAdapterUri(dir.toString())
            .setBaseModel("sluice-tiny")
            .setPromotedAt(Instant.now())
            .setDecisionId("manual")
            .build();
    RegistryEntry entry =
        RegistryEntry.newBuilder()
            .setTenant(tenant)
            .setTrack(track)
            .setVersion(1)
            .setActive(ref)
            .setHistory(List.of(ref))
            .setUpdatedAt(Instant.now())
            .build();
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, RegistryEntry> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), Topics.ADAPTERS_REGISTRY.valueSerde().serializer())) {
      producer.send(
          new ProducerRecord<>(
              Topics.ADAPTERS_REGISTRY.name(), Topics.trackKey(tenant, track), entry));
      producer.flush();
    }
  }
}
