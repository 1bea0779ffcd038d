package io.sluice.curator;

import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Raw-topic traffic shared by the curator's broker tests. */
final class RawTraffic {

  private static final AvroSerde<RawEvent> RAW = AvroSerde.of(RawEvent.class);

  private RawTraffic() {}

  static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /** Sends the event keyed by its track and remembers it in {@code sent} (thread-safe). */
  static void send(
      KafkaProducer<String, byte[]> producer, RawEvent event, Map<String, RawEvent> sent) {
    synchronized (sent) {
      sent.put(event.getId(), event);
    }
    producer.send(
        new ProducerRecord<>(
            Topics.EVENTS_RAW.name(),
            Topics.trackKey(event.getTenant(), event.getTrack()),
            RAW.serialize(Topics.EVENTS_RAW.name(), event)));
  }

  /** The same event under another id: an exact duplicate of its content. */
  static RawEvent copy(RawEvent original, String id) {
    return RawEvent.newBuilder(original).setId(id).build();
  }
}
