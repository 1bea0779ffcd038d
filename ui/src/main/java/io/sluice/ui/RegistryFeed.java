package io.sluice.ui;

import io.sluice.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the registry, decisions, evaluations and candidates topics from their beginning into a
 * {@link RegistryState}, on one thread, with a read_committed consumer: what an aborted evaluator
 * transaction wrote never shows. No consumer group: every UI instance reads everything and commits
 * nothing.
 */
public final class RegistryFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> TOPICS =
      List.of(
          Topics.ADAPTERS_REGISTRY.name(),
          Topics.ADAPTERS_DECISIONS.name(),
          Topics.ADAPTERS_EVALUATIONS.name(),
          Topics.ADAPTERS_CANDIDATES.name());

  private final KafkaConsumer<String, byte[]> consumer;
  private final RegistryState state;
  private final Thread thread;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Map<TopicPartition, Long> startEnd;
  private volatile boolean running = true;

  private RegistryFeed(KafkaConsumer<String, byte[]> consumer, RegistryState state) {
    this.consumer = consumer;
    this.state = state;
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : TOPICS) {
      var infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic " + topic + " does not exist; run `sluice topics create` first");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.startEnd = new HashMap<>(consumer.endOffsets(partitions));
    this.thread = new Thread(this::run, "ui-registry-feed");
    thread.setDaemon(true);
  }

  /** Starts following; fails at once when a topic is missing or the broker is unreachable. */
  public static RegistryFeed start(UiConfig config, RegistryState state) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer());
    try {
      RegistryFeed feed = new RegistryFeed(consumer, state);
      feed.thread.start();
      return feed;
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  private static Map<String, Object> consumerProperties(UiConfig config) {
    Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    // Only committed transactions: the evaluator publishes report, decision and registry entry
    // together, and an aborted attempt must never show as a decision.
    properties.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A missing topic is reported, never created by the lookup with a broker's default configs.
    properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-ui");
    return properties;
  }

  /** Waits until everything committed when the feed started has been read. */
  public boolean awaitCaughtUp(Duration limit) throws InterruptedException {
    return caughtUp.await(limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  private void run() {
    try {
      markIfCaughtUp();
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          apply(record);
        }
        markIfCaughtUp();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.error("the registry feed stopped; the pages show what was read until now", e);
    } finally {
      consumer.close();
    }
  }

  private void markIfCaughtUp() {
    if (caughtUp.getCount() > 0
        && startEnd.entrySet().stream()
            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
      caughtUp.countDown();
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    String topic = record.topic();
    if (record.value() == null && !topic.equals(Topics.ADAPTERS_REGISTRY.name())) {
      return; // only the compacted registry uses tombstones
    }
    try {
      if (topic.equals(Topics.ADAPTERS_REGISTRY.name())) {
        state.putRegistry(record.key(), decode(Topics.ADAPTERS_REGISTRY.valueSerde(), record));
      } else if (topic.equals(Topics.ADAPTERS_DECISIONS.name())) {
        state.putDecision(decode(Topics.ADAPTERS_DECISIONS.valueSerde(), record));
      } else if (topic.equals(Topics.ADAPTERS_EVALUATIONS.name())) {
        state.putEvaluation(decode(Topics.ADAPTERS_EVALUATIONS.valueSerde(), record));
      } else {
        state.putCandidate(decode(Topics.ADAPTERS_CANDIDATES.valueSerde(), record));
      }
    } catch (SerializationException e) {
      // One unreadable record (a schema this reader does not know) must not hide the others.
      LOG.warn("skipped {}-{}@{}: {}", topic, record.partition(), record.offset(), e.getMessage());
    }
  }

  private static <V> V decode(
      org.apache.kafka.common.serialization.Serde<V> serde, ConsumerRecord<String, byte[]> record) {
    return serde.deserializer().deserialize(record.topic(), record.value());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
