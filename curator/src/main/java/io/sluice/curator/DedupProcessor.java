package io.sluice.curator;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.dedup.ContentKeys;
import io.sluice.curator.dedup.DedupConfig;
import io.sluice.curator.dedup.DedupStore;
import io.sluice.curator.dedup.Deduplicator;
import io.sluice.curator.dedup.Duplicate;
import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Stage;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 5: exact and near-duplicate detection per tenant/track/kind over the changelogged {@value
 * CuratorTopology#DEDUP_STORE} store. A wall-clock punctuator sweeps expired entries of idle
 * tracks; active tracks expire entries as they insert.
 */
final class DedupProcessor implements Processor<String, Messages.Governed, String, Object> {

  private final DedupConfig config;
  private final long sweepIntervalMs;
  private final CuratorMetrics metrics;
  private final Output<Messages.Governed> unique;
  private final Output<RejectedEvent> rejected;
  private ProcessorContext<String, Object> context;
  private Deduplicator deduplicator;
  private long newestEventTime = Long.MIN_VALUE;

  DedupProcessor(
      DedupConfig config,
      long sweepIntervalMs,
      CuratorMetrics metrics,
      Output<Messages.Governed> unique,
      Output<RejectedEvent> rejected) {
    this.config = config;
    this.sweepIntervalMs = sweepIntervalMs;
    this.metrics = metrics;
    this.unique = unique;
    this.rejected = rejected;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    KeyValueStore<Bytes, byte[]> store = context.getStateStore(CuratorTopology.DEDUP_STORE);
    this.deduplicator = new Deduplicator(config, new StreamsDedupStore(store));
    context.schedule(
        Duration.ofMillis(sweepIntervalMs), PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, Messages.Governed> record) {
    Messages.Governed governed = record.value();
    Candidate candidate = governed.candidate();
    ContentKeys keys = ContentKeys.of(candidate, governed.normalized());
    String contentHash = keys.contentHash();
    String scope = Topics.trackKey(candidate.tenant(), candidate.track()) + "/" + candidate.kind();
    newestEventTime = Math.max(newestEventTime, governed.eventTime());
    Optional<Duplicate> duplicate =
        deduplicator.admit(
            scope, candidate.id(), contentHash, keys.nearText(), governed.eventTime());
    metrics.recordDedup(candidate.tenant(), candidate.track(), duplicate.isPresent());
    if (duplicate.isEmpty()) {
      unique.forward(context, record.withValue(governed.withContentHash(contentHash)));
      return;
    }
    Duplicate match = duplicate.get();
    String detail =
        match.exact()
            ? candidate.id() + ": same normalized content as " + match.duplicateOf()
            : String.format(
                "%s: near-duplicate of %s (estimated Jaccard %.2f >= %.2f)",
                candidate.id(), match.duplicateOf(), match.similarity(), config.threshold());
    RejectedEvent rejection =
        Rejections.rejection(
                context, governed, RejectionReason.DUPLICATE, Stage.DEDUPLICATE, detail)
            .setDuplicateOf(match.duplicateOf())
            .build();
    metrics.recordRejected(
        candidate.tenant(), candidate.track(), Stage.DEDUPLICATE, RejectionReason.DUPLICATE);
    rejected.forward(context, Rejections.record(record, rejection, true));
  }

  /**
   * Retention is measured against the newest event time seen, but never beyond the wall clock, so
   * one event stamped far in the future cannot wipe the store.
   */
  private void sweep(long wallClock) {
    if (newestEventTime != Long.MIN_VALUE) {
      deduplicator.purgeExpired(Math.min(newestEventTime, wallClock));
    }
  }

  /** The deduplicator's view of a Streams key-value store. */
  private record StreamsDedupStore(KeyValueStore<Bytes, byte[]> store) implements DedupStore {

    @Override
    public void put(byte[] key, byte[] value) {
      store.put(Bytes.wrap(key), value);
    }

    @Override
    public void delete(byte[] key) {
      store.delete(Bytes.wrap(key));
    }

    @Override
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
      try (KeyValueIterator<Bytes, byte[]> entries = store.all()) {
        while (entries.hasNext()) {
          KeyValue<Bytes, byte[]> entry = entries.next();
          visitor.accept(entry.key.get(), entry.value);
        }
      }
    }
  }
}
