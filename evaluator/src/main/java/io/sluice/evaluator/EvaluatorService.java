package io.sluice.evaluator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.BaseModelIdentity;
import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RegistryEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice evaluator}: consumes candidates, evaluates each against its track's champion and
 * the base, and publishes the report, the decision, a promotion's registry entry and the consumed
 * offset in one Kafka transaction, so a crash at any point yields exactly one decision per
 * candidate after restart. Holdouts are collected from the curated topic on the side and kept in
 * {@link HoldoutStore}; the registry is read back from its compacted topic.
 */
public final class EvaluatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);
  private static final Duration SAVE_INTERVAL = Duration.ofSeconds(5);

  private final EvaluatorConfig config;
  private final LanguageModel base;
  private final boolean ownsBase;
  private final CandidateEvaluator evaluator;
  private final HoldoutStore holdouts;
  private final EvaluatorMetrics metrics;
  private final Map<String, RegistryEntry> registry = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final AtomicBoolean closed = new AtomicBoolean(false);
  private final Thread thread;
  private final Clock clock = Clock.systemUTC();
  private volatile Throwable failure;
  private volatile long decisions;
  private KafkaConsumer<String, AdapterCandidate> candidates;
  private final List<java.util.function.Consumer<CandidateEvaluator.Outcome>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private int unsaved;
  private long lastSave = System.nanoTime();

  private final MeterRegistry meters;
  private Runnable closeOnExit = () -> {};

  private EvaluatorService(
      EvaluatorConfig config, MeterRegistry meters, LanguageModel base, boolean ownsBase)
      throws IOException {
    this.config = config;
    this.base = base;
    this.ownsBase = ownsBase;
    BaseModelIdentity identity =
        BaseModelIdentity.of(base.directory(), config.baseName().orElse(null));
    GeneralSuite suite;
    if (config.suiteFile().isPresent()) {
      suite = JsonlSuite.read(config.suiteFile().get());
    } else if (DefaultBaseModel.NAME.equals(identity.name())) {
      suite = GeneralSuite.builtIn();
    } else {
      throw new ConfigException(
          EvaluatorConfig.SUITE_FILE_CONFIG,
          "",
          "base "
              + identity.name()
              + " is not the bundled model, whose general-skills suite is built in; give a JSONL"
              + " suite (see docs/evaluator.md)");
    }
    this.evaluator =
        new CandidateEvaluator(base, identity.name(), identity.sha256(), suite, config);
    this.holdouts = HoldoutStore.open(config.stateDir(), config.holdoutMaxItems());
    this.metrics = new EvaluatorMetrics(meters);
    this.meters = meters;
    this.thread = new Thread(this::run, "evaluator");
  }

  /**
   * Starts the consume-evaluate-produce thread.
   *
   * @param sharedBase a base model loaded elsewhere and shared read-only (the quickstart's); null
   *     loads {@code evaluator.base.dir} (or the bundled model) and closes it with the service
   */
  public static EvaluatorService start(
      EvaluatorConfig config, MeterRegistry registry, LanguageModel sharedBase) throws IOException {
    LanguageModel base =
        sharedBase != null
            ? sharedBase
            : LanguageModel.load(config.baseDir().orElseGet(DefaultBaseModel::path));
    EvaluatorService service;
    try {
      service = new EvaluatorService(config, registry, base, sharedBase == null);
    } catch (IOException | RuntimeException e) {
      if (sharedBase == null) {
        base.close();
      }
      throw e;
    }
    service.thread.start();
    return service;
  }

  /** True once the base is loaded, the state read back and the candidate consumer is polling. */
  public boolean isReady() {
    return ready.get() && thread.isAlive();
  }

  /** Why the service thread stopped, if it stopped on an error. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Calls {@code listener} on the service thread after each decision is committed (report,
   * decision, registry entry if any), e.g. for the quickstart's progress lines. A listener that
   * throws is logged and does not stop the service.
   */
  public EvaluatorService onDecision(
      java.util.function.Consumer<CandidateEvaluator.Outcome> listener) {
    listeners.add(listener);
    return this;
  }

  /** Decisions this instance has committed. */
  public long decisions() {
    return decisions;
  }

  /** The registry entry of a track as this evaluator last read or wrote it. */
  public RegistryEntry champion(String tenant, String track) {
    return registry.get(Topics.trackKey(tenant, track));
  }

  private Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>(config.kafka());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return props;
  }

  private <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic, String groupId) {
    Map<String, Object> props = clientProperties();
    // Only committed transactions: a report or candidate of an aborted transaction never happened.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (groupId != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
      // Static membership: restarted under its id, the evaluator takes its partitions back at once.
      config.instanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
      // One candidate at a time: its offset is committed with its decision.
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
      // An evaluation on a large base can take minutes; the group must not evict us meanwhile.
      props.put(
          ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
    }
    return new KafkaConsumer<>(
        props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  private KafkaProducer<String, Object> producer() {
    Map<String, Object> props = clientProperties();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(
        props, Topics.ADAPTERS_CANDIDATES.keySerde().serializer(), new AnyAvroSerializer());
  }

  private void run() {
    try (KafkaConsumer<String, CuratedExample> curated = consumer(Topics.EXAMPLES_CURATED, null);
        KafkaConsumer<String, RegistryEntry> registryReader =
            consumer(Topics.ADAPTERS_REGISTRY, null);
        KafkaConsumer<String, AdapterCandidate> candidateReader =
            consumer(Topics.ADAPTERS_CANDIDATES, config.groupId());
        KafkaProducer<String, Object> producer = producer()) {
      candidates = candidateReader;
      // The candidate group's lag, like the trainer's; partition meters are looked for every 5 s.
      ScheduledExecutorService refresh =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "evaluator-kafka-metrics");
                thread.setDaemon(true);
                return thread;
              });
      KafkaClientMetrics clientMetrics =
          new KafkaClientMetrics(candidateReader, List.of(), refresh, Duration.ofSeconds(5));
      clientMetrics.bindTo(meters);
      closeOnExit =
          () -> {
            clientMetrics.close();
            refresh.shutdownNow();
          };
      List<TopicPartition> curatedPartitions =
          TopicReader.partitions(curated, Topics.EXAMPLES_CURATED.name());
      curated.assign(curatedPartitions);
      Map<Integer, Long> saved = holdouts.positions();
      for (TopicPartition tp : curatedPartitions) {
        if (saved.containsKey(tp.partition())) {
          curated.seek(tp, saved.get(tp.partition()));
        } else {
          curated.seekToBeginning(List.of(tp));
        }
      }
      List<TopicPartition> registryPartitions =
          TopicReader.partitions(registryReader, Topics.ADAPTERS_REGISTRY.name());
      registryReader.assign(registryPartitions);
      registryReader.seekToBeginning(registryPartitions);
      producer.initTransactions();
      catchUpRegistry(registryReader);
      // A fresh state directory re-reads the whole curated topic, which may take longer than one
      // catch-up's limit; every attempt keeps its progress.
      while (running.get()) {
        try {
          catchUpHoldouts(curated);
          break;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          LOG.info("still reading holdouts from {}", Topics.EXAMPLES_CURATED.name());
        }
      }
      candidateReader.subscribe(List.of(Topics.ADAPTERS_CANDIDATES.name()));
      ready.set(true);
      LOG.info(
          "evaluator ready: {} tracks with holdouts, {} registry entries",
          holdoutTrackCount(),
          registry.size());
      while (running.get()) {
        ConsumerRecords<String, AdapterCandidate> records = candidateReader.poll(POLL);
        if (records.isEmpty()) {
          pollHoldouts(curated);
          continue;
        }
        for (ConsumerRecord<String, AdapterCandidate> record : records) {
          if (record.value() == null) {
            LOG.warn(
                "skipping an empty candidate record at {}-{}@{}",
                record.topic(),
                record.partition(),
                record.offset());
            continue;
          }
          try {
            catchUpHoldouts(curated);
            catchUpRegistry(registryReader);
          } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // Deciding on a partial holdout or a stale registry would be wrong; try again later.
            LOG.warn(
                "could not read the curated or registry topic to its end; retrying {}",
                record.value().getCandidateId(),
                e);
            candidateReader.seek(
                new TopicPartition(record.topic(), record.partition()), record.offset());
            break;
          }
          decide(record, producer, candidateReader);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        failure = e;
      }
    } catch (ProducerFencedException e) {
      failure = e;
      LOG.error(
          "another evaluator with transactional id {} took over; stopping",
          config.transactionalId());
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("evaluator stopped", e);
    } finally {
      ready.set(false);
      closeOnExit.run();
    }
  }

  private void decide(
      ConsumerRecord<String, AdapterCandidate> record,
      KafkaProducer<String, Object> producer,
      KafkaConsumer<String, AdapterCandidate> consumer) {
    AdapterCandidate candidate = record.value();
    String key = Topics.trackKey(candidate.getTenant(), candidate.getTrack());
    CandidateEvaluator.Outcome outcome;
    try {
      outcome =
          evaluator.evaluate(candidate, holdouts.snapshot(key), registry.get(key), clock.instant());
    } catch (RuntimeException e) {
      LOG.error("evaluating {} failed", candidate.getCandidateId(), e);
      outcome = CandidateEvaluatorFailures.rejected(candidate, e, clock.instant());
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    try {
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(Topics.ADAPTERS_EVALUATIONS.name(), key, outcome.report()));
      producer.send(
          new ProducerRecord<>(Topics.ADAPTERS_DECISIONS.name(), key, outcome.decision()));
      if (outcome.registry() != null) {
        producer.send(
            new ProducerRecord<>(Topics.ADAPTERS_REGISTRY.name(), key, outcome.registry()));
      }
      producer.sendOffsetsToTransaction(
          Map.of(tp, new OffsetAndMetadata(record.offset() + 1)), consumer.groupMetadata());
      producer.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn(
          "publishing the decision on {} failed; it will be evaluated again",
          candidate.getCandidateId(),
          e);
      producer.abortTransaction();
      consumer.seek(tp, record.offset());
      return;
    }
    decisions++;
    if (outcome.registry() != null) {
      registry.put(key, outcome.registry());
      metrics.recordRegistry(outcome.registry());
    }
    metrics.recordEvaluation(outcome.report());
    metrics.recordDecision(
        outcome.decision(),
        candidate.getWindowStartedAt() == null
            ? null
            : candidate.getWindowStartedAt().toEpochMilli());
    for (java.util.function.Consumer<CandidateEvaluator.Outcome> listener : listeners) {
      try {
        listener.accept(outcome);
      } catch (RuntimeException e) {
        LOG.warn("a decision listener failed", e);
      }
    }
  }

  private void catchUpRegistry(KafkaConsumer<String, RegistryEntry> reader) {
    TopicReader.catchUp(
        reader,
        CATCH_UP_LIMIT,
        record -> {
          RegistryEntry entry = record.value();
          RegistryEntry known = registry.get(record.key());
          if (entry != null && (known == null || entry.getVersion() >= known.getVersion())) {
            registry.put(record.key(), entry);
            metrics.recordRegistry(entry);
          }
        });
  }

  private void catchUpHoldouts(KafkaConsumer<String, CuratedExample> curated) {
    unsaved += TopicReader.catchUp(curated, CATCH_UP_LIMIT, this::collect);
    savePositions(curated);
  }

  /**
   * Reads what is there between candidates; saves at most every SAVE_INTERVAL, since a save writes
   * every track.
   */
  private void pollHoldouts(KafkaConsumer<String, CuratedExample> curated) {
    for (ConsumerRecord<String, CuratedExample> record : curated.poll(Duration.ZERO)) {
      collect(record);
      unsaved++;
    }
    if (System.nanoTime() - lastSave > SAVE_INTERVAL.toNanos()) {
      savePositions(curated);
    }
  }

  private void collect(ConsumerRecord<String, CuratedExample> record) {
    CuratedExample example = record.value();
    if (example != null) {
      HoldoutItem.from(example)
          .ifPresent(
              item -> holdouts.add(Topics.trackKey(example.getTenant(), example.getTrack()), item));
    }
  }

  private void savePositions(KafkaConsumer<String, CuratedExample> curated) {
    if (unsaved == 0) {
      return;
    }
    unsaved = 0;
    lastSave = System.nanoTime();
    for (TopicPartition tp : curated.assignment()) {
      holdouts.position(tp.partition(), curated.position(tp));
    }
    try {
      holdouts.save();
    } catch (UncheckedIOException e) {
      LOG.warn("cannot save holdouts; a restart re-reads them from the last saved positions", e);
    }
  }

  private int holdoutTrackCount() {
    return holdouts.trackCount();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    running.set(false);
    KafkaConsumer<String, AdapterCandidate> c = candidates;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofMinutes(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsBase) {
      base.close();
    }
  }
}
