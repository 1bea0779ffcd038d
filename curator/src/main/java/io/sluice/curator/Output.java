package io.sluice.curator;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One typed way out of a processor: the named child that reads records of type {@code V}. {@link
 * CuratorTopology} makes every output and hands each processor its own, so the topology alone says
 * where records go; a processor never names a child itself.
 */
record Output<V>(String child) {

  void forward(ProcessorContext<String, ? super V> context, Record<String, ? extends V> record) {
    context.forward(record, child);
  }
}
