package io.sluice.evaluator;

import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.Action;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What {@code sluice adapters} does: read champions, decisions, reports and candidates back from
 * their topics, and publish an operator's promotion or rollback as a decision plus a registry entry
 * in one transaction. The registry topic stays the only source of truth; nothing is deleted.
 */
public final class AdapterRegistryClient {
  private static final Duration READ_LIMIT = Duration.ofSeconds(60);

  private final Map<String, Object> clientProperties;

  /**
   * @param clientProperties Kafka client properties including bootstrap.servers
   */
  public AdapterRegistryClient(Map<String, Object> clientProperties) {
    this.clientProperties = Map.copyOf(clientProperties);
  }

  /** The latest registry entry per tenant/track key. */
  public Map<String, RegistryEntry> champions() {
    Map<String, RegistryEntry> out = new TreeMap<>();
    readAll(Topics.ADAPTERS_REGISTRY)
        .forEach(
            e -> {
              RegistryEntry known = out.get(Topics.trackKey(e.getTenant(), e.getTrack()));
              if (known == null || e.getVersion() >= known.getVersion()) {
                out.put(Topics.trackKey(e.getTenant(), e.getTrack()), e);
              }
            });
    return out;
  }

  public List<PromotionDecision> decisions() {
    return readAll(Topics.ADAPTERS_DECISIONS);
  }

  public List<EvaluationReport> reports() {
    return readAll(Topics.ADAPTERS_EVALUATIONS);
  }

  public List<AdapterCandidate> candidates() {
    return readAll(Topics.ADAPTERS_CANDIDATES);
  }

  public Optional<AdapterCandidate> candidate(String candidateId) {
    return candidates().stream()
        .filter(c -> c.getCandidateId().equals(candidateId))
        .reduce((a, b) -> b);
  }

  /**
   * Makes a candidate its track's champion regardless of the gate; the decision says it was manual
   * and who did it.
   *
   * @throws IllegalArgumentException when no candidate has this id
   */
  public PromotionDecision promote(String candidateId, String reason, String actor) {
    AdapterCandidate candidate =
        candidate(candidateId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no candidate "
                            + candidateId
                            + " on "
                            + Topics.ADAPTERS_CANDIDATES.name()));
    String key = Topics.trackKey(candidate.getTenant(), candidate.getTrack());
    RegistryEntry current = champions().get(key);
    Instant now = Instant.now();
    String decisionId = UUID.randomUUID().toString();
    AdapterRef ref =
        AdapterRef.newBuilder()
            .setCandidateId(candidateId)
            .setAdapterUri(candidate.getAdapterUri())
            .setBaseModel(candidate.getBaseModel())
            .setBaseModelSha256(candidate.getBaseModelSha256())
            .setPromotedAt(now)
            .setDecisionId(decisionId)
            .build();
    RegistryEntry next =
        RegistryTransitions.promote(
            current,
            candidate.getTenant(),
            candidate.getTrack(),
            ref,
            "manual: " + reason,
            actor,
            now);
    GateReason why =
        GateReason.of(
            ReasonCode.MANUAL_PROMOTE, "promoted by " + actor + " overriding the gate: " + reason);
    PromotionDecision decision =
        decision(
            decisionId,
            candidateId,
            candidate.getTenant(),
            candidate.getTrack(),
            Action.PROMOTE,
            why,
            actor,
            now,
            candidate.getAdapterUri(),
            next.getVersion());
    publish(key, decision, next);
    return decision;
  }

  /**
   * Restores the previous champion of a track (the bare base when there was none) as a new registry
   * version.
   *
   * @throws IllegalStateException when the track has no champion
   */
  public PromotionDecision rollback(String tenant, String track, String reason, String actor) {
    String key = Topics.trackKey(tenant, track);
    RegistryEntry current = champions().get(key);
    Instant now = Instant.now();
    String decisionId = UUID.randomUUID().toString();
    RegistryEntry next =
        RegistryTransitions.rollback(current, decisionId, "rollback: " + reason, actor, now);
    String restored =
        next.getActive() == null ? "the bare base model" : next.getActive().getCandidateId();
    GateReason why =
        GateReason.of(
            ReasonCode.ROLLBACK,
            "rolled back "
                + current.getActive().getCandidateId()
                + " to "
                + restored
                + " by "
                + actor
                + ": "
                + reason);
    PromotionDecision decision =
        decision(
            decisionId,
            current.getActive().getCandidateId(),
            tenant,
            track,
            Action.ROLLBACK,
            why,
            actor,
            now,
            current.getActive().getAdapterUri(),
            next.getVersion());
    publish(key, decision, next);
    return decision;
  }

  private static PromotionDecision decision(
      String decisionId,
      String candidateId,
      String tenant,
      String track,
      Action action,
      GateReason why,
      String actor,
      Instant now,
      String uri,
      int version) {
    return PromotionDecision.newBuilder()
        .setDecisionId(decisionId)
        .setCandidateId(candidateId)
        .setTenant(tenant)
        .setTrack(track)
        .setAction(action)
        .setReasons(List.of(why.line()))
        .setDetails(List.of(why.toAvro()))
        .setActor(actor)
        .setDecidedAt(now)
        .setManual(true)
        .setAdapterUri(uri)
        .setRegistryVersion(version)
        .build();
  }

  /**
   * Publishes the decision and the entry in one transaction, then waits until read_committed
   * readers see the entry: the commit returns before the broker has written its markers, and a
   * promote or rollback that follows at once must build on this entry, not on the one before.
   */
  private void publish(String key, PromotionDecision decision, RegistryEntry entry) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    // A one-off transactional id: the decision and the registry entry become visible together or
    // not at all.
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sluice-adapters-cli-" + UUID.randomUUID());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    RecordMetadata written;
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            props, Topics.ADAPTERS_DECISIONS.keySerde().serializer(), new AnyAvroSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.ADAPTERS_DECISIONS.name(), key, decision));
      written =
          producer.send(new ProducerRecord<>(Topics.ADAPTERS_REGISTRY.name(), key, entry)).get();
      producer.commitTransaction();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while publishing to " + Topics.ADAPTERS_REGISTRY.name(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not publish to "
              + Topics.ADAPTERS_REGISTRY.name()
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    }
    awaitCommitted(new TopicPartition(written.topic(), written.partition()), written.offset());
  }

  private void awaitCommitted(TopicPartition partition, long offset) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long deadline = System.nanoTime() + READ_LIMIT.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      while (consumer.endOffsets(List.of(partition)).get(partition) <= offset) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the registry entry at "
                  + partition
                  + "@"
                  + offset
                  + " was committed but read_committed readers did not see it within "
                  + READ_LIMIT);
        }
        sleepBriefly();
      }
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the registry entry", e);
    }
  }

  /** Every committed value of a topic, partition by partition in offset order. */
  <V> List<V> readAll(Topic<String, V> topic) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<V> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = TopicReader.partitions(consumer, topic.name());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      TopicReader.catchUp(
          consumer,
          READ_LIMIT,
          record -> {
            if (record.value() != null) {
              out.add(record.value());
            }
          });
    }
    return out;
  }
}
