package io.sluice.ops;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Raw events into a curator and its committed outputs back, counted by source id. */
final class CuratorTraffic {

  private CuratorTraffic() {}

  /** Event i: its own wording (never a duplicate), over three tenant/track pairs. */
  static RawEvent event(int i) {
    return RawEvent.newBuilder()
        .setId("e" + i)
        .setType(EventType.example)
        .setTenant(i % 3 == 0 ? "globex" : "acme")
        .setTrack(i % 2 == 0 ? "support" : "billing")
        .setTimestamp(Instant.parse("2026-11-30T08:00:00Z").plusSeconds(i))
        .setMetadata(Map.of())
        .setPrompt("Question " + i + ": how do I set up feature " + i + " on model " + i * 7 + "?")
        .setCompletion("Open settings, choose feature " + i + ", then set level " + (i % 5) + ".")
        .build();
  }

  /** An idempotent producer of raw events; {@code client} adds e.g. SASL settings. */
  static KafkaProducer<String, RawEvent> producer(String bootstrap, Map<String, Object> client) {
    Map<String, Object> props = new HashMap<>(client);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(
        props,
        Topics.EVENTS_RAW.keySerde().serializer(),
        Topics.EVENTS_RAW.valueSerde().serializer());
  }

  /** Sends without waiting; a send that fails fails the next {@link #flush}. */
  static Future<RecordMetadata> send(KafkaProducer<String, RawEvent> producer, RawEvent event) {
    return producer.send(
        new ProducerRecord<>(
            Topics.EVENTS_RAW.name(), Topics.trackKey(event.getTenant(), event.getTrack()), event));
  }

  /** Waits until every send is acknowledged; throws with the cause of the first that failed. */
  static void flush(KafkaProducer<String, RawEvent> producer, List<Future<RecordMetadata>> sends)
      throws ExecutionException, InterruptedException {
    producer.flush();
    for (Future<RecordMetadata> send : sends) {
      send.get();
    }
    sends.clear();
  }

  /**
   * Reads sluice.examples.curated and sluice.events.rejected from the start with read_committed on
   * a thread of its own, counting each source id's records.
   */
  static final class Outputs implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Thread reader;

    Outputs(String bootstrap, Map<String, Object> client) {
      Map<String, Object> props = new HashMap<>(client);
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "ops-reader-" + System.nanoTime());
      consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(Topics.EXAMPLES_CURATED.name(), Topics.EVENTS_REJECTED.name()));
      reader = new Thread(this::read, "ops-outputs-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      var curated = Topics.EXAMPLES_CURATED.valueSerde().deserializer();
      var rejected = Topics.EVENTS_REJECTED.valueSerde().deserializer();
      try {
        while (true) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            String source =
                r.topic().equals(Topics.EXAMPLES_CURATED.name())
                    ? ((CuratedExample) curated.deserialize(r.topic(), r.value())).getSourceId()
                    : ((RejectedEvent) rejected.deserialize(r.topic(), r.value())).getSourceId();
            counts.merge(String.valueOf(source), 1, Integer::sum);
          }
        }
      } catch (WakeupException stop) {
        // closed
      } finally {
        consumer.close();
      }
    }

    /**
     * Waits until every id has an output; returns {@link System#nanoTime()} of the moment it
     * noticed, or throws naming how many are missing.
     */
    long awaitAll(Set<String> ids, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!counts.keySet().containsAll(ids)) {
        if (System.nanoTime() > deadline) {
          long missing = ids.stream().filter(id -> !counts.containsKey(id)).count();
          throw new AssertionError(
              ids.stream().filter(id -> !counts.containsKey(id)).sorted().toList()
                  + " ("
                  + missing
                  + " of "
                  + ids.size()
                  + ") have no output after "
                  + timeout);
        }
        Thread.sleep(20);
      }
      return System.nanoTime();
    }

    /** Outputs per source id so far. */
    Map<String, Integer> counts() {
      return Map.copyOf(counts);
    }

    @Override
    public void close() throws InterruptedException {
      consumer.wakeup();
      reader.join(10_000);
    }
  }
}
