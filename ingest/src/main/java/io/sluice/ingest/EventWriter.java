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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted events to {@code sluice.events.raw}, each request's events atomically.
 *
 * <p>One transactional producer per instance, driven by one writer thread. Requests queue up; the
 * thread takes every request waiting (up to {@code maxGroupEvents} events) and writes them in one
 * transaction ("group commit"). Why one transactional producer for single events too, rather than a
 * separate idempotent one: an idempotent send that times out may still land on the broker later, so
 * a 503 could not promise "nothing written"; an aborted transaction can. Group commit keeps the
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

  /**
   * One request's write, queued for the writer thread. Exactly one side decides whether it is
   * written: the writer {@linkplain #claim claims} it before putting it into a transaction, or its
   * waiter {@linkplain #await withdraws} it first. So a waiter that gives up can truthfully answer
   * "nothing was written", and a claimed write always gets the writer's outcome.
   */
  public static final class PendingWrite {
    private final List<ProducerRecord<String, byte[]>> records;
    private final long enqueuedNanos;
    private final CompletableFuture<List<RecordMetadata>> done = new CompletableFuture<>();
    private final AtomicBoolean decided = new AtomicBoolean();
    private final BlockingQueue<PendingWrite> queue;

    private PendingWrite(
        List<ProducerRecord<String, byte[]>> records,
        long enqueuedNanos,
        BlockingQueue<PendingWrite> queue) {
      this.records = records;
      this.enqueuedNanos = enqueuedNanos;
      this.queue = queue;
    }

    /**
     * The metadata of the written records, in order. Waits up to {@code patience} for the writer to
     * finish; if the writer has not taken the write by then it is withdrawn and fails as not
     * written. Once taken, this waits for the writer's outcome, which every broker step of the
     * writer bounds by the produce timeout.
     *
     * @throws WriteFailedException when nothing of the write was committed
     */
    public List<RecordMetadata> await(Duration patience) throws WriteFailedException {
      try {
        return done.get(patience.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw failure(e);
      } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (decided.compareAndSet(false, true)) {
          queue.remove(this);
          throw new WriteFailedException("the writer did not take the write in time", true, null);
        }
      }
      try {
        // Not interruptible: the writer has the records, so only its outcome tells the truth.
        return done.join();
      } catch (CompletionException e) {
        throw failure(e);
      }
    }

    boolean isDone() {
      return done.isDone();
    }

    /** The writer takes the write; false when its waiter withdrew it. */
    private boolean claim() {
      return decided.compareAndSet(false, true);
    }

    private static WriteFailedException failure(Exception e) {
      if (e.getCause() instanceof WriteFailedException failed) {
        return failed;
      }
      return new WriteFailedException("write failed: " + e.getCause(), false, e.getCause());
    }
  }

  private final Function<Map<String, Object>, Producer<String, byte[]>> producerFactory;
  private final Serializer<RawEvent> valueSerializer;
  private final Map<String, Object> producerProperties;
  private final int maxGroupEvents;
  private final Duration produceTimeout;
  private final Timer produceLatency;
  private final BlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  private Producer<String, byte[]> producer; // writer thread only; null until initialized

  EventWriter(
      IngestConfig config,
      String transactionalId,
      MeterRegistry meters,
      Function<Map<String, Object>, Producer<String, byte[]>> producerFactory) {
    this.producerProperties = producerProperties(config, transactionalId);
    this.producerFactory = producerFactory;
    this.valueSerializer = Topics.EVENTS_RAW.valueSerde().serializer();
    this.maxGroupEvents = config.maxBatchLines();
    this.produceTimeout = config.produceTimeout();
    this.produceLatency =
        Timer.builder("sluice.ingest.produce.latency")
            .description(
                "Time from a request's events being queued to their transaction committing")
            .publishPercentileHistogram()
            .register(meters);
    this.thread = new Thread(this::run, "ingest-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** A writer with a real Kafka producer. */
  public static EventWriter create(
      IngestConfig config, String transactionalId, MeterRegistry meters) {
    return new EventWriter(
        config,
        transactionalId,
        meters,
        properties ->
            new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer()));
  }

  /**
   * The producer's {@code transaction.timeout.ms}: twice {@code ingest.produce.timeout.ms}, at
   * least 10 s (30 s by default, not Kafka's 60 s). A transaction carries at most the bytes that
   * requests in progress may hold ({@code ingest.max.inflight.bytes}); its sends are bounded by
   * {@code delivery.timeout.ms} and its commit by {@code max.block.ms}, both the produce timeout,
   * so a live transaction never needs longer than twice that. A crashed instance's open transaction
   * blocks {@code read_committed} readers of the partitions it wrote until the broker aborts it:
   * after this timeout plus at most the broker's {@code
   * transaction.abort.timed.out.transaction.cleanup.interval.ms} (10 s by default). A longer
   * timeout would only make that stall longer.
   */
  static int transactionTimeoutMs(IngestConfig config) {
    return Math.max(10_000, 2 * (int) config.produceTimeout().toMillis());
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
    properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeoutMs(config));
    // A request's events arrive together and are all flushed by the commit: larger batches mean
    // fewer produce requests per commit (the default 16 KiB holds about 60 typical events).
    properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    // One event may be as large as the event limit; leave room for the Avro header and batch.
    properties.putIfAbsent(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        Math.max(1024 * 1024, config.maxEventBytes() + 65_536));
    return properties;
  }

  /**
   * Queues the events for one transaction; {@link PendingWrite#await} gives their metadata, in
   * order, once committed, or fails with {@link WriteFailedException} when nothing was committed.
   * The events are encoded here, on the caller's thread: callers run in parallel, the writer thread
   * does not.
   */
  public PendingWrite write(List<RawEvent> events) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
    String topic = Topics.EVENTS_RAW.name();
    for (RawEvent event : events) {
      records.add(
          new ProducerRecord<>(
              topic,
              Topics.trackKey(event.getTenant(), event.getTrack()),
              valueSerializer.serialize(topic, event)));
    }
    PendingWrite pending = new PendingWrite(records, System.nanoTime(), queue);
    if (closed) {
      pending.claim();
      pending.done.completeExceptionally(
          new WriteFailedException("ingest is shutting down", true, null));
      return pending;
    }
    queue.add(pending);
    return pending;
  }

  /** Writes until closed and drained: requests queued before {@link #close} are still written. */
  private void run() {
    while (!closed || !queue.isEmpty()) {
      List<PendingWrite> group;
      try {
        group = nextGroup();
      } catch (InterruptedException e) {
        break;
      }
      try {
        writeGroup(group);
      } catch (RuntimeException e) {
        // A bug must not kill the only writer thread and leave claimed writes without an answer.
        LOG.error("writing a group of {} requests failed unexpectedly", group.size(), e);
        discardProducer();
        WriteFailedException failed = new WriteFailedException("write failed: " + e, false, e);
        group.forEach(pending -> pending.done.completeExceptionally(failed));
      }
    }
    failWaiting(new WriteFailedException("ingest is shutting down", true, null));
  }

  /** The requests waiting now, up to the group limit; empty after a short wait for none. */
  private List<PendingWrite> nextGroup() throws InterruptedException {
    List<PendingWrite> group = new ArrayList<>();
    PendingWrite first = queue.poll(100, TimeUnit.MILLISECONDS);
    if (first == null) {
      return group;
    }
    group.add(first);
    int events = first.records.size();
    PendingWrite next;
    while (events < maxGroupEvents
        && (next = queue.peek()) != null
        && events + next.records.size() <= maxGroupEvents) {
      group.add(queue.poll());
      events += next.records.size();
    }
    return group;
  }

  private void writeGroup(List<PendingWrite> group) {
    List<PendingWrite> live = new ArrayList<>();
    for (PendingWrite pending : group) {
      if (!pending.claim()) {
        continue; // its waiter gave up and answered "nothing written": keep it that way
      }
      // A request that waited out the whole timeout behind a failing broker is answered now,
      // unwritten, rather than after yet another timeout.
      if (expired(pending)) {
        pending.done.completeExceptionally(
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
        live.forEach(pending -> pending.done.completeExceptionally(e));
        if (e.brokerUnavailable()) {
          // The same broker would fail the requests behind these too; answer them now.
          failWaiting(e);
        }
        return;
      }
      LOG.warn(
          "group of {} requests failed ({}); retrying them one by one",
          live.size(),
          e.getMessage());
      retryOneByOne(live);
    }
  }

  /**
   * Retries the requests of an aborted group, each in its own transaction. One that is already past
   * the produce timeout fails instead (its group's transaction was aborted, so nothing of it was
   * written), which bounds how long its waiter waits however many requests the group held.
   */
  private void retryOneByOne(List<PendingWrite> group) {
    for (PendingWrite pending : group) {
      if (expired(pending)) {
        pending.done.completeExceptionally(
            new WriteFailedException("timed out retrying after a failed group", true, null));
        continue;
      }
      try {
        commit(List.of(pending));
      } catch (WriteFailedException single) {
        pending.done.completeExceptionally(single);
      }
    }
  }

  private boolean expired(PendingWrite pending) {
    return System.nanoTime() - pending.enqueuedNanos > produceTimeout.toNanos();
  }

  /** Writes the requests in one transaction and completes them; throws with nothing committed. */
  private void commit(List<PendingWrite> group) throws WriteFailedException {
    List<List<Future<RecordMetadata>>> sends = new ArrayList<>();
    try {
      if (producer == null) {
        producer = producerFactory.apply(producerProperties);
        producer.initTransactions();
      }
      producer.beginTransaction();
      for (PendingWrite pending : group) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(pending.records.size());
        for (ProducerRecord<String, byte[]> record : pending.records) {
          futures.add(producer.send(record));
        }
        sends.add(futures);
      }
      producer.commitTransaction();
    } catch (KafkaException | IllegalStateException e) {
      discardProducer();
      throw classify(e);
    }
    for (int i = 0; i < group.size(); i++) {
      PendingWrite pending = group.get(i);
      produceLatency.record(Duration.ofNanos(System.nanoTime() - pending.enqueuedNanos));
      pending.done.complete(metadata(sends.get(i)));
    }
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
    boolean unavailable =
        e instanceof TimeoutException
            || cause instanceof RetriableException
            || e instanceof org.apache.kafka.common.errors.ProducerFencedException
            || e instanceof org.apache.kafka.common.errors.InvalidProducerEpochException;
    return new WriteFailedException(
        (unavailable ? "broker unavailable: " : "write failed: ") + e.getMessage(), unavailable, e);
  }

  /**
   * Closes the producer without waiting: its open transaction is aborted by the next one's init.
   */
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

  /** Fails every queued write its waiter has not withdrawn. */
  private void failWaiting(WriteFailedException e) {
    PendingWrite pending;
    while ((pending = queue.poll()) != null) {
      if (pending.claim()) {
        pending.done.completeExceptionally(e);
      }
    }
  }

  /**
   * Stops taking writes, lets the writer finish what is queued (each group bounded by the produce
   * timeout), and interrupts it only if it does not finish in time.
   */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(2 * produceTimeout.toMillis() + 5_000);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(produceTimeout.toMillis());
      }
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
