package io.sluice.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.BaseModelIdentity;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.model.train.AdapterTrainer;
import io.sluice.model.train.TrainOptions;
import io.sluice.model.train.TrainResult;
import io.sluice.model.train.TrainedAdapter;
import io.sluice.model.train.TrainingExample;
import io.sluice.model.train.TrainingFailedException;
import io.sluice.model.train.TrainingObjective;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.Objective;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Split;
import io.sluice.schemas.avro.Stage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice trainer}: consumes {@code sluice.examples.curated} (read_committed, train split
 * only), keeps a window per tenant/track, trains each due window into a fresh LoRA adapter and
 * publishes its {@link AdapterCandidate} and the consumed offsets in one Kafka transaction.
 *
 * <p>One thread polls and owns every Kafka client; training runs on a second thread while the
 * poller keeps polling paused partitions, so the group never rebalances because a run takes
 * minutes. Order of a window's output: adapter directory (temp, rename), then the transaction with
 * candidate and offsets. A crash before the commit leaves a directory that the retrained window
 * (same offsets, same id) replaces, and no candidate; a crash after it leaves both.
 */
public final class TrainerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long OFFSET_COMMIT_INTERVAL_MS = 2_000;

  /**
   * Test seam: {@code -Dsluice.trainer.halt.at=adapter-written} halts (like kill -9) at that point.
   */
  static final String HALT_AT_PROPERTY = "sluice.trainer.halt.at";

  private final TrainerConfig config;
  private final LanguageModel base;
  private final boolean ownsBase;
  private final BaseModelIdentity identity;
  private final Rehearsal rehearsal;
  private final AdapterStore store;
  private final TrainerMetrics metrics;
  private final MeterRegistry registry;
  private final Map<String, Object> clientProperties;
  private final Thread poller;
  private final ExecutorService trainingThread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-run"));
  private final java.util.concurrent.ScheduledExecutorService metricsRefresh =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "trainer-kafka-metrics");
            thread.setDaemon(true);
            return thread;
          });
  private KafkaClientMetrics clientMetrics;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final TrackWindows windows = new TrackWindows();
  private final Map<String, Integer> attempts = new HashMap<>();
  private volatile Throwable failure;

  private KafkaConsumer<String, CuratedExample> consumer;
  private KafkaProducer<String, Object> producer;
  private CandidateLedger ledger = new CandidateLedger();
  private Run inFlight;
  private Map<TopicPartition, Long> lastCommitted = Map.of();
  private long lastOffsetCommitMs;

  /** A window being trained off the poll thread. */
  private record Run(
      List<PendingExample> window,
      String adapterId,
      ReplayReservoir reservoir,
      SemanticIndex index,
      Future<Outcome> result,
      String parent) {}

  /**
   * A trained window: its training set, where its adapter was written and what the run did; dir and
   * result are null when every example of the window was a semantic duplicate.
   */
  private record Outcome(TrainingSet set, Path dir, TrainResult result) {
    boolean trained() {
      return dir != null;
    }
  }

  private TrainerService(
      TrainerConfig config, MeterRegistry registry, LanguageModel base, boolean ownsBase)
      throws IOException {
    this.config = config;
    this.registry = registry;
    this.base = base;
    this.ownsBase = ownsBase;
    Path baseDir = config.baseDir() != null ? config.baseDir() : DefaultBaseModel.path();
    this.identity = BaseModelIdentity.of(baseDir, config.baseName());
    this.rehearsal =
        config.rehearsalFile() != null
            ? Rehearsal.fromFile(config.rehearsalFile())
            : config.baseDir() == null ? Rehearsal.generalSkills() : null;
    this.store = new AdapterStore(config.adapterStore());
    this.metrics = new TrainerMetrics(registry);
    this.clientProperties = clientProperties(config);
    this.poller = new Thread(this::pollLoop, "trainer-poll");
  }

  /**
   * Starts the service on {@code sharedBase} (the quickstart shares one base between trainer and
   * evaluator), or on the configured base when it is null.
   */
  public static TrainerService start(
      TrainerConfig config, MeterRegistry registry, LanguageModel sharedBase) throws IOException {
    boolean owns = sharedBase == null;
    LanguageModel base = owns ? loadBase(config) : sharedBase;
    if (owns
        && config.baseDir() != null
        && config.rehearsalFile() == null
        && config.defaults().rehearsalFraction() > 0) {
      LOG.warn(
          "base {} is not the bundled model and {} is unset: training without rehearsal data",
          config.baseDir(),
          TrainerConfig.REHEARSAL_FILE_CONFIG);
    }
    TrainerService service = new TrainerService(config, registry, base, owns);
    service.poller.start();
    return service;
  }

  private static LanguageModel loadBase(TrainerConfig config) throws IOException {
    Path dir = config.baseDir() != null ? config.baseDir() : DefaultBaseModel.path();
    // The checkpoint's own chat template: adapters must be trained in the format they are served
    // in.
    return LanguageModel.load(dir, TrainerDevices.select(config.device()));
  }

  private static Map<String, Object> clientProperties(TrainerConfig config) {
    Map<String, Object> props = new HashMap<>(config.kafka());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return props;
  }

  public TrainerConfig config() {
    return config;
  }

  /** True once partitions are assigned and the ledger is read. */
  public boolean isReady() {
    return ready.get() && failure == null;
  }

  /** Why the service stopped, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private void pollLoop() {
    try {
      producer = newProducer();
      // Aborts this instance's own unfinished transaction (if it crashed) before anything is read.
      producer.initTransactions();
      consumer = newConsumer();
      // Partition-level meters (records-lag) appear only after the first fetch: look for new
      // ones every few seconds rather than Micrometer's default minute.
      clientMetrics =
          new KafkaClientMetrics(consumer, List.of(), metricsRefresh, Duration.ofSeconds(5));
      clientMetrics.bindTo(registry);
      consumer.subscribe(List.of(Topics.EXAMPLES_CURATED.name()), new Rebalance());
      while (running.get()) {
        poll();
        finishRun();
        startRun();
        commitIdleOffsets();
      }
    } catch (ProducerFencedException e) {
      failure = e;
      LOG.error("another trainer with transactional id {} took over; stopping", transactionalId());
    } catch (Throwable t) {
      if (running.get()) {
        failure = t;
        LOG.error("trainer stopped", t);
      }
    } finally {
      ready.set(false);
      trainingThread.shutdownNow();
      if (clientMetrics != null) {
        clientMetrics.close();
      }
      metricsRefresh.shutdownNow();
      if (consumer != null) {
        // A static member stays in the group on a plain close; a clean stop hands tracks over now.
        consumer.close(
            CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(5)));
      }
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    }
  }

  private void poll() {
    long now = System.currentTimeMillis();
    for (ConsumerRecord<String, CuratedExample> r : consumer.poll(POLL)) {
      CuratedExample example = r.value();
      if (example.getSplit() != Split.TRAIN) {
        continue; // holdout records are the evaluator's; never trained on
      }
      TopicPartition partition = new TopicPartition(r.topic(), r.partition());
      String track = Topics.trackKey(example.getTenant(), example.getTrack());
      if (ledger.covers(track, partition, r.offset())) {
        continue; // a published candidate already trained it
      }
      windows.add(new PendingExample(partition, r.offset(), example, r.timestamp(), now));
    }
    windows
        .tracks()
        .forEach(
            track -> {
              int slash = track.indexOf('/');
              metrics.pending(
                  track.substring(0, slash), track.substring(slash + 1), windows.pending(track));
            });
  }

  private void startRun() throws IOException {
    if (inFlight != null) {
      return;
    }
    Optional<List<PendingExample>> due = windows.due(System.currentTimeMillis(), config::track);
    if (due.isEmpty()) {
      return;
    }
    List<PendingExample> window = due.get();
    String trackKey = window.get(0).trackKey();
    TrackSettings settings = config.track(trackKey);
    CuratedExample first = window.get(0).record();
    Path trackDir = store.trackDir(first.getTenant(), first.getTrack());
    ReplayReservoir reservoir =
        ReplayReservoir.open(
            trackDir, config.replayCapacity(), settings.training().seed() ^ trackKey.hashCode());
    SemanticIndex index =
        SemanticIndex.open(trackDir, config.semanticIndexCapacity(), identity.sha256());
    String adapterId =
        TrainingSet.adapterId(first.getTenant(), first.getTrack(), TrainingSet.ranges(window));
    Optional<AdapterRef> champion =
        settings.initFromChampion()
            ? Champions.current(clientProperties, trackKey)
            : Optional.empty();
    String parent = champion.map(AdapterRef::getCandidateId).orElse(null);
    consumer.pause(consumer.assignment());
    Future<Outcome> result =
        trainingThread.submit(() -> train(window, settings, reservoir, index, champion));
    inFlight = new Run(window, adapterId, reservoir, index, result, parent);
  }

  /**
   * Semantic dedup (it needs the base model, so it runs here, off the poll thread), then training.
   */
  private Outcome train(
      List<PendingExample> window,
      TrackSettings settings,
      ReplayReservoir reservoir,
      SemanticIndex index,
      Optional<AdapterRef> champion)
      throws IOException {
    TrainOptions training = settings.training();
    SemanticDedup.Result dedup =
        SemanticDedup.apply(
            base,
            window,
            index,
            config.semanticDedupThreshold(),
            training.batchSize(),
            training.maxLength());
    TrainingSet set = TrainingSet.build(window, dedup, settings, reservoir, rehearsal);
    String trackKey = window.get(0).trackKey();
    if (dedup.kept().isEmpty()) {
      LOG.info(
          "{} for {}: all {} window examples repeat earlier ones (semantic dedup); nothing to train",
          set.adapterId(),
          trackKey,
          window.size());
      return new Outcome(set, null, null);
    }
    LOG.info(
        "training {} for {}: {} window ({} semantic duplicates left out) + {} replay + {}"
            + " rehearsal examples{}",
        set.adapterId(),
        trackKey,
        dedup.kept().size(),
        dedup.duplicates().size(),
        set.replay().size(),
        set.rehearsalCount(),
        champion.map(c -> " from champion " + c.getCandidateId()).orElse(""));
    LoraAdapter init = null;
    try {
      if (champion.isPresent()) {
        try {
          init = LoraAdapter.load(base.model(), Path.of(champion.get().getAdapterUri()));
        } catch (IOException | io.sluice.model.io.ModelFormatException e) {
          throw new TrainingFailedException(
              TrainingFailedException.Reason.CORRUPT_MODEL,
              "champion "
                  + champion.get().getCandidateId()
                  + " cannot be loaded: "
                  + e.getMessage(),
              e);
        }
      }
      try (TrainedAdapter trained =
          AdapterTrainer.train(base, set.examples(), objectiveFor(set, settings), init, p -> {})) {
        Path dir =
            store.write(
                set, trained, identity, champion.map(AdapterRef::getCandidateId).orElse(null));
        haltIf("adapter-written");
        return new Outcome(set, dir, trained.result());
      }
    } catch (OutOfMemoryError e) {
      throw new TrainingFailedException(
          TrainingFailedException.Reason.OUT_OF_MEMORY, e.toString(), e);
    } catch (ai.djl.engine.EngineException e) {
      throw new TrainingFailedException(
          TrainingFailedException.Reason.ENGINE_ERROR, e.getMessage(), e);
    } finally {
      if (init != null) {
        init.close();
      }
    }
  }

  /**
   * The objective a set is trained with: {@code trainer.objective} is a minimum, widened to what
   * the set holds, so no record is silently dropped and no phase runs without data. Rehearsal and
   * replay may bring SFT items into a DPO or KTO track (SFT is added); votes always need KTO; pairs
   * need DPO unless the objective trains SFT without DPO (SFT then learns their chosen answers).
   * With AUTO this is exactly AUTO's choice.
   */
  static TrainOptions objectiveFor(TrainingSet set, TrackSettings settings) {
    TrainOptions options = settings.training();
    TrainingObjective requested = options.objective();
    List<TrainingExample> examples = set.examples().stream().filter(e -> !e.holdout()).toList();
    boolean sftRecords = examples.stream().anyMatch(e -> e instanceof TrainingExample.Sft);
    boolean pairs = examples.stream().anyMatch(e -> e instanceof TrainingExample.Preference);
    boolean votes = examples.stream().anyMatch(e -> e instanceof TrainingExample.Binary);
    boolean dpo = pairs && (requested.hasDpo() || !requested.hasSft());
    boolean sft = sftRecords || (pairs && !dpo);
    return options.withObjective(TrainingObjective.of(sft, dpo, votes));
  }

  private void finishRun() {
    if (inFlight == null || !inFlight.result().isDone()) {
      return;
    }
    Run run = inFlight;
    inFlight = null;
    consumer.resume(consumer.assignment());
    String trackKey = run.window().get(0).trackKey();
    if (!owns(run.window())) {
      LOG.info(
          "{} lost its partitions while training {}; the new owner retrains it",
          trackKey,
          run.adapterId());
      return;
    }
    try {
      Outcome outcome = run.result().get();
      if (outcome.trained()) {
        publish(outcome, run.reservoir(), run.index(), run.parent());
      } else {
        skipDuplicates(outcome.set(), run.index());
      }
    } catch (ExecutionException e) {
      failed(run.window(), run.adapterId(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      failed(run.window(), run.adapterId(), e);
    }
  }

  private boolean owns(List<PendingExample> window) {
    Set<TopicPartition> assigned = consumer.assignment();
    return window.stream().allMatch(e -> assigned.contains(e.partition()));
  }

  private void publish(
      Outcome outcome, ReplayReservoir reservoir, SemanticIndex index, String parent)
      throws IOException {
    TrainingSet set = outcome.set();
    TrainResult report = outcome.result();
    AdapterCandidate candidate =
        AdapterCandidate.newBuilder()
            .setCandidateId(set.adapterId())
            .setTenant(set.tenant())
            .setTrack(set.track())
            .setBaseModel(identity.name())
            .setBaseModelSha256(identity.sha256())
            .setAdapterUri(outcome.dir().toString())
            .setObjective(Objective.valueOf(report.objective().name()))
            .setCreatedAt(Instant.now())
            .setExampleCount(set.window().size())
            .setReplayCount(set.replay().size())
            .setRehearsalCount(set.rehearsalCount())
            .setTruncatedCount(report.truncatedExamples())
            .setSemanticDuplicates(set.semanticDedup().duplicates().size())
            .setTrainingSetSha256(set.sha256())
            .setWindowStartedAt(Instant.ofEpochMilli(set.windowStartedAt()))
            .setDevice(report.device())
            .setSources(set.sources())
            .setMetrics(trainingMetrics(report))
            .setHyperparameters(Hyperparameters.of(report.options()))
            .setParentCandidateId(parent)
            .build();
    String trackKey = Topics.trackKey(set.tenant(), set.track());
    long now = System.currentTimeMillis();
    windows.remove(trackKey, set.window(), now);
    transaction(
        List.of(new ProducerRecord<>(Topics.ADAPTERS_CANDIDATES.name(), trackKey, candidate)),
        "before-commit");
    ledger.record(candidate);
    attempts.remove(trackKey);
    // After the commit only: a crash before it retrains the window from the same reservoir and
    // index.
    reservoir.addAndSave(set.semanticDedup().kept().stream().map(PendingExample::record).toList());
    rememberEmbeddings(set, index);
    metrics.windowTrained(
        set.tenant(),
        set.track(),
        set.semanticDedup().kept().size(),
        report.seconds(),
        report.tokensPerSecond(),
        report.finalLoss());
    LOG.info(
        "published candidate {} for {} ({} examples, loss {})",
        set.adapterId(),
        trackKey,
        set.window().size(),
        report.finalLoss());
  }

  /** A window of semantic duplicates only: no candidate; its offsets are committed all the same. */
  private void skipDuplicates(TrainingSet set, SemanticIndex index) throws IOException {
    String trackKey = Topics.trackKey(set.tenant(), set.track());
    windows.remove(trackKey, set.window(), System.currentTimeMillis());
    transaction(List.of(), null);
    attempts.remove(trackKey);
    rememberEmbeddings(set, index);
    LOG.info(
        "window {} of {} committed without a candidate: all {} examples were semantic"
            + " duplicates",
        set.adapterId(),
        trackKey,
        set.window().size());
  }

  private void rememberEmbeddings(TrainingSet set, SemanticIndex index) throws IOException {
    SemanticDedup.Result dedup = set.semanticDedup();
    metrics.semanticDuplicates(set.tenant(), set.track(), dedup.duplicates().size());
    if (!dedup.vectors().isEmpty()) {
      index.addAndSave(dedup.vectors(), dedup.keptEntries());
    }
  }

  private static Map<String, Double> trainingMetrics(TrainResult r) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("first_loss", r.firstLoss());
    out.put("final_loss", r.finalLoss());
    out.put("steps", (double) r.steps());
    out.put("skipped_steps", (double) r.skippedSteps());
    out.put("tokens", (double) r.tokens());
    out.put("seconds", r.seconds());
    out.put("tokens_per_second", r.tokensPerSecond());
    out.put("training_examples", (double) (r.trainExamples()));
    out.put("sft_examples", (double) r.sftExamples());
    out.put("dpo_pairs", (double) r.dpoPairs());
    out.put("kto_examples", (double) r.ktoExamples());
    return out;
  }

  private void failed(List<PendingExample> window, String adapterId, Throwable cause) {
    CuratedExample first = window.get(0).record();
    String trackKey = Topics.trackKey(first.getTenant(), first.getTrack());
    String reason =
        cause instanceof TrainingFailedException t
            ? t.reason().name()
            : cause.getClass().getSimpleName();
    int attempt = attempts.merge(trackKey, 1, Integer::sum);
    metrics.windowFailed(first.getTenant(), first.getTrack(), reason);
    LOG.warn(
        "training {} for {} failed (attempt {} of {}): {}",
        adapterId,
        trackKey,
        attempt,
        config.maxAttempts(),
        cause.toString());
    long now = System.currentTimeMillis();
    if (attempt < config.maxAttempts()) {
      windows.backOff(trackKey, now + (config.retryBackoffMs() << Math.min(20, attempt - 1)));
      return;
    }
    windows.remove(trackKey, window, now);
    transaction(
        window.stream()
            .map(
                e ->
                    new ProducerRecord<String, Object>(
                        Topics.EVENTS_REJECTED.name(), trackKey, rejection(e, cause, attempt)))
            .toList(),
        null);
    attempts.remove(trackKey);
    metrics.examplesRejected(first.getTenant(), first.getTrack(), window.size());
    LOG.error(
        "window {} of {} rejected as TRAINING_FAILED after {} attempts",
        adapterId,
        trackKey,
        attempt);
  }

  private static RejectedEvent rejection(PendingExample e, Throwable cause, int attempts) {
    CuratedExample r = e.record();
    String detail =
        "curated record "
            + r.getId()
            + ": training failed "
            + attempts
            + " times; last: "
            + cause.getMessage();
    return RejectionReason.TRAINING_FAILED
        .rejection(Stage.TRAIN, detail)
        .setSourceId(r.getSourceId())
        .setTenant(r.getTenant())
        .setTrack(r.getTrack())
        .setPiiCounts(r.getPiiCounts())
        .setLineage(new Lineage(e.partition().topic(), e.partition().partition(), e.offset()))
        .setRejectedAt(Instant.now())
        .build();
  }

  /**
   * Commits the offsets of records that need no training (holdout, already trained) now and then.
   */
  private void commitIdleOffsets() {
    long now = System.currentTimeMillis();
    if (inFlight != null || now - lastOffsetCommitMs < OFFSET_COMMIT_INTERVAL_MS) {
      return;
    }
    lastOffsetCommitMs = now;
    Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit();
    offsets
        .entrySet()
        .removeIf(e -> Long.valueOf(e.getValue().offset()).equals(lastCommitted.get(e.getKey())));
    if (!offsets.isEmpty()) {
      transaction(List.of(), null);
    }
  }

  /**
   * Sends {@code records} and commits the offsets the windows allow, in one transaction; an aborted
   * transaction leaves nothing behind and stops the service (a restart recovers).
   */
  private void transaction(List<ProducerRecord<String, Object>> records, String haltPoint) {
    Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit();
    producer.beginTransaction();
    try {
      records.forEach(producer::send);
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      if (haltPoint != null) {
        haltIf(haltPoint);
      }
      producer.commitTransaction();
    } catch (KafkaException e) {
      abort(e);
      throw e;
    }
    remember(offsets);
  }

  private Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      positions.put(tp, consumer.position(tp));
    }
    Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
    windows
        .committable(positions)
        .forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
    return out;
  }

  private void remember(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Map<TopicPartition, Long> merged = new HashMap<>(lastCommitted);
    offsets.forEach((tp, o) -> merged.put(tp, o.offset()));
    lastCommitted = merged;
  }

  private void abort(KafkaException cause) {
    if (cause instanceof ProducerFencedException) {
      return; // a fenced producer cannot abort; the new owner's initTransactions already did
    }
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      cause.addSuppressed(e);
    }
  }

  private static void haltIf(String point) {
    if (point.equals(System.getProperty(HALT_AT_PROPERTY))) {
      LOG.warn("halting at {} ({})", point, HALT_AT_PROPERTY);
      Runtime.getRuntime().halt(137);
    }
  }

  /** Keeps the windows and the ledger consistent with what this instance owns. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      windows.drop(partitions);
      lastCommitted = new HashMap<>(lastCommitted);
      lastCommitted.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Another instance may have published candidates for these partitions' tracks.
      ledger = CandidateLedger.read(clientProperties);
      if (inFlight != null) {
        consumer.pause(partitions);
      }
      ready.set(true);
      LOG.info("assigned {}", partitions);
    }
  }

  private String transactionalId() {
    return config.groupId() + "-" + config.instanceId();
  }

  private KafkaConsumer<String, CuratedExample> newConsumer() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    // Static membership: restarted under its id, a trainer takes its partitions back at once.
    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    return new KafkaConsumer<>(
        props, new StringDeserializer(), Topics.EXAMPLES_CURATED.valueSerde().deserializer());
  }

  @SuppressWarnings("unchecked")
  private KafkaProducer<String, Object> newProducer() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    org.apache.kafka.common.serialization.Serializer<Object> values =
        (topic, value) -> {
          if (value instanceof AdapterCandidate c) {
            return Topics.ADAPTERS_CANDIDATES.valueSerde().serializer().serialize(topic, c);
          }
          return Topics.EVENTS_REJECTED
              .valueSerde()
              .serializer()
              .serialize(topic, (RejectedEvent) value);
        };
    return new KafkaProducer<>(props, new StringSerializer(), values);
  }

  @Override
  public void close() {
    running.set(false);
    if (consumer != null) {
      consumer.wakeup();
    }
    try {
      poller.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsBase) {
      base.close();
    }
  }
}
