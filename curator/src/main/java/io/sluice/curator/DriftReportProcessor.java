package io.sluice.curator;

import io.sluice.curator.drift.DriftMonitor;
import io.sluice.schemas.avro.DriftReport;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the drift of the tracks this task reads in the changelogged {@value
 * CuratorTopology#DRIFT_STORE} store and reports it: at every report interval (wall clock) it saves
 * each track's state and emits its {@link DriftReport} in the same transaction, and when the task
 * starts (after a restart, a rebalance or a restore from the changelog) it loads the saved state
 * back into the monitor before any record is processed.
 *
 * <p>It receives the key of every raw record this task reads, from {@code decode-event}: the record
 * key is the track key, so these are the tracks whose state belongs to this task's store.
 */
final class DriftReportProcessor implements Processor<String, Void, String, DriftReport> {

  private final DriftMonitor monitor;
  private final long intervalMs;
  private final Output<DriftReport> reports;
  private final Set<String> tracks = new HashSet<>();
  private ProcessorContext<String, DriftReport> context;
  private KeyValueStore<String, byte[]> store;

  DriftReportProcessor(DriftMonitor monitor, long intervalMs, Output<DriftReport> reports) {
    this.monitor = monitor;
    this.intervalMs = intervalMs;
    this.reports = reports;
  }

  @Override
  public void init(ProcessorContext<String, DriftReport> context) {
    this.context = context;
    this.store = context.getStateStore(CuratorTopology.DRIFT_STORE);
    try (KeyValueIterator<String, byte[]> saved = store.all()) {
      while (saved.hasNext()) {
        KeyValue<String, byte[]> entry = saved.next();
        monitor.restore(entry.key, entry.value);
        tracks.add(entry.key);
      }
    }
    context.schedule(Duration.ofMillis(intervalMs), PunctuationType.WALL_CLOCK_TIME, this::report);
  }

  @Override
  public void process(Record<String, Void> record) {
    if (record.key() != null) {
      tracks.add(record.key());
    }
  }

  private void report(long now) {
    for (Iterator<String> it = tracks.iterator(); it.hasNext(); ) {
      String track = it.next();
      byte[] snapshot = monitor.snapshot(track);
      if (snapshot == null) {
        it.remove(); // a key no valid event of that track came with (e.g. a miskeyed record)
        continue;
      }
      store.put(track, snapshot);
      reports.forward(context, new Record<>(track, monitor.report(track, now), now));
    }
  }
}
