package io.sluice.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted events to {@code sluice.events.raw}, each request's events atomically.
 *
 * <p>One transactional producer per instance, driven by one writer thread. Requests queue up; the
 * thread takes every request waiting (up to {@code maxGroupEvents} events) and writes them in one
 * transaction ("group commit"). Why one transactional producer for single events too, rather than a
 * separate idempotent one: an idempotent send that times out may still land on the broker later,
 * so a 503 could not promise "nothing written"; an aborted transaction can. Group commit keeps the
 * cost of that promise low when many small requests arrive at once, because they share one commit.
 *
 * <p>Any failure aborts the transaction and discards the producer; the next write makes a new one
 * with the same transactional.id, whose {@code initTransactions} fences the old one and aborts
 * whatever it left open. A group that failed for a reason other than the broker being unreachable
 * is retried one request per transaction, so one request's problem does not fail the others.
 */
public final class EventWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);

  /** Client properties Sluice decides itself; {@code kafka.*} may not set them. */
  private static final List<String> OWNED_PROPERTIES =
      List.of(
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.MAX_BLOCK_MS_CONFIG,
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
          ProducerConfig.LINGER_MS_CONFIG,
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);

  private record Pending(
      List<RawEvent> events, long enqueuedNanos, CompletableFuture<List<RecordMetadata>> done) {}

  private final Function<Map<String, Object>, Producer<String, RawEvent>> producerFactory;
  private final Map<String, Object> producerProperties;
  private final int maxGroupEvents;
  private final Duration produceTimeout;
  private final Timer produceLatency;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  private Producer<String, RawEvent> producer; // writer thread only; null until initialized

  EventWriter(
      IngestConfig config,
      String transactionalId,
      MeterRegistry meters,
      Function<Map<String, Object>, Producer<String, RawEvent>> producerFactory) {
    this.producerProperties = producerProperties(config, transactionalId);
    this.producerFactory = producerFactory;
    this.maxGroupEvents = config.maxBatchLines();
    this.produceTimeout = config.produceTimeout();
    this.produceLatency =
        Timer.builder("sluice.ingest.produce.latency")
            .description("Time from a request's events being queued to their transaction committing")
            .publishPercentileHistogram()
            .register(meters);
    this.thread = new Thread(this::run, "ingest-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** A writer with a real Kafka producer. */
  public static EventWriter create(IngestConfig config, String transactionalId, MeterRegistry meters) {
    return new EventWriter(
        config,
        transactionalId,
        meters,
        properties ->
            new KafkaProducer<>(
                properties,
                new StringSerializer(),
                Topics.EVENTS_RAW.valueSerde().serializer()));
  }

  /**
   * The producer's client properties: {@code kafka.*} pass-through first, then what Sluice owns.
   *
   * @throws ConfigException when a pass-through property tries to set an owned one
   */
  static Map<String, Object> producerProperties(IngestConfig config, String transactionalId) {
    for (String owned : OWNED_PROPERTIES) {
      if (config.kafkaClientProperties().containsKey(owned)) {
        throw new ConfigException(
            "kafka." + owned,
            config.kafkaClientProperties().get(owned),
            "is set by ingest itself (see ingest.produce.timeout.ms, ingest.linger.ms,"
                + " ingest.bootstrap.servers); remove it");
      }
    }
    Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
    int timeoutMs = (int) config.produceTimeout().toMillis();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, config.lingerMs());
    // Every blocking step (metadata, buffer space, init, commit) gives up after the timeout.
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (timeoutMs - config.lingerMs()) / 2);
    // Long enough for a commit that is itself bounded by the timeout; short enough that a
    // transaction orphaned by a crash stops blocking read_committed consumers soon.
    properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(10_000, 2 * timeoutMs));
    // One event may be as large as the event limit; leave room for the Avro header and batch.
    properties.putIfAbsent(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1024 * 1024, config.maxEventBytes() + 65_536));
    return properties;
  }

  /**
   * Queues the events for one transaction. The future completes with their metadata, in order, once
   * committed, or fails with {@link WriteFailedException} once aborted.
   */
  public CompletableFuture<List<RecordMetadata>> write(List<RawEvent> events) {
    CompletableFuture<List<RecordMetadata>> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new WriteFailedException("ingest is shutting down", true, null));
      return done;
    }
    queue.add(new Pending(List.copyOf(events), System.nanoTime(), done));
    return done;
  }

  private void run() {
    while (!closed) {
      List<Pending> group;
      try {
        group = nextGroup();
      } catch (InterruptedException e) {
        break;
      }
      writeGroup(group);
    }
    failWaiting(new WriteFailedException("ingest is shutting down", true, null));
  }

  private List<Pending> nextGroup() throws InterruptedException {
    List<Pending> group = new ArrayList<>();
    Pending first = queue.take();
    group.add(first);
    int events = first.events().size();
    Pending next;
    while (events < maxGroupEvents && (next = queue.peek()) != null
        && events + next.events().size() <= maxGroupEvents) {
      group.add(queue.poll());
      events += next.events().size();
    }
    return group;
  }

  private void writeGroup(List<Pending> group) {
    List<Pending> live = new ArrayList<>();
    long now = System.nanoTime();
    for (Pending pending : group) {
      // A request that waited out the whole timeout behind a failing broker is answered now,
      // unwritten, rather than after yet another timeout.
      if (now - pending.enqueuedNanos() > produceTimeout.toNanos()) {
        pending.done().completeExceptionally(
            new WriteFailedException("timed out waiting for the broker", true, null));
      } else {
        live.add(pending);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    try {
      commit(live);
    } catch (WriteFailedException e) {
      if (e.brokerUnavailable() || live.size() == 1) {
        live.forEach(pending -> pending.done().completeExceptionally(e));
        if (e.brokerUnavailable()) {
          // The same broker would fail the requests behind these too; answer them now.
          failWaiting(e);
        }
        return;
      }
      LOG.warn("group of {} requests failed ({}); retrying them one by one", live.size(), e.getMessage());
      for (Pending pending : live) {
        try {
          commit(List.of(pending));
        } catch (WriteFailedException single) {
          pending.done().completeExceptionally(single);
        }
      }
    }
  }

  /** Writes the requests in one transaction and completes them; throws with nothing committed. */
  private void commit(List<Pending> group) throws WriteFailedException {
    List<List<Future<RecordMetadata>>> sends = new ArrayList<>();
    try {
      if (producer == null) {
        producer = producerFactory.apply(producerProperties);
        producer.initTransactions();
      }
      producer.beginTransaction();
      for (Pending pending : group) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(pending.events().size());
        for (RawEvent event : pending.events()) {
          futures.add(producer.send(record(event)));
        }
        sends.add(futures);
      }
      producer.commitTransaction();
    } catch (KafkaException | IllegalStateException e) {
      discardProducer();
      throw classify(e);
    }
    for (int i = 0; i < group.size(); i++) {
      Pending pending = group.get(i);
      produceLatency.record(Duration.ofNanos(System.nanoTime() - pending.enqueuedNanos()));
      pending.done().complete(metadata(sends.get(i)));
    }
  }

  private static ProducerRecord<String, RawEvent> record(RawEvent event) {
    return new ProducerRecord<>(
        Topics.EVENTS_RAW.name(), Topics.trackKey(event.getTenant(), event.getTrack()), event);
  }

  /** Metadata of sends of a committed transaction: commit returned, so every future is done. */
  private static List<RecordMetadata> metadata(List<Future<RecordMetadata>> futures) {
    List<RecordMetadata> result = new ArrayList<>(futures.size());
    for (Future<RecordMetadata> future : futures) {
      try {
        result.add(future.get());
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException("a send of a committed transaction did not complete", e);
      }
    }
    return result;
  }

  private static WriteFailedException classify(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof RetriableException)) {
      cause = cause.getCause();
    }
    boolean unavailable = e instanceof TimeoutException || cause instanceof RetriableException
        || e instanceof org.apache.kafka.common.errors.ProducerFencedException
        || e instanceof org.apache.kafka.common.errors.InvalidProducerEpochException;
    return new WriteFailedException(
        (unavailable ? "broker unavailable: " : "write failed: ") + e.getMessage(), unavailable, e);
  }

  /** Closes the producer without waiting: its open transaction is aborted by the next one's init. */
  private void discardProducer() {
    if (producer == null) {
      return;
    }
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("closing a failed producer", e);
    }
    producer = null;
  }

  private void failWaiting(WriteFailedException e) {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      pending.done().completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(produceTimeout.toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failWaiting(new WriteFailedException("ingest is shutting down", true, null));
    if (producer != null) {
      producer.close(produceTimeout);
      producer = null;
    }
  }
}
