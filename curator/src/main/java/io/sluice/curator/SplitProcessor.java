package io.sluice.curator;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.drift.Script;
import io.sluice.curator.metrics.CuratorMetrics;
import io.sluice.curator.split.HoldoutSplitter;
import io.sluice.curator.split.SplitContent;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.Split;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 6: assigns the split by the record's {@link SplitContent}, so that the records one event
 * yields share a side, and emits the curated record.
 */
final class SplitProcessor implements Processor<String, Messages.Governed, String, CuratedExample> {

  private final HoldoutSplitter splitter;
  private final CuratorMetrics metrics;
  private final Output<CuratedExample> curated;
  private ProcessorContext<String, CuratedExample> context;

  SplitProcessor(HoldoutSplitter splitter, CuratorMetrics metrics, Output<CuratedExample> curated) {
    this.splitter = splitter;
    this.metrics = metrics;
    this.curated = curated;
  }

  @Override
  public void init(ProcessorContext<String, CuratedExample> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Messages.Governed> record) {
    Messages.Governed governed = record.value();
    Candidate candidate = governed.candidate();
    String trackKey = Topics.trackKey(candidate.tenant(), candidate.track());
    Split split = splitter.split(trackKey, SplitContent.of(candidate, governed.normalized()));
    CuratedExample example =
        CuratedExample.newBuilder()
            .setId(candidate.id())
            .setSourceId(candidate.sourceId())
            .setTenant(candidate.tenant())
            .setTrack(candidate.track())
            .setKind(candidate.kind())
            .setOrigin(candidate.origin())
            .setPrompt(candidate.prompt())
            .setCompletion(candidate.completion())
            .setChosen(candidate.chosen())
            .setRejected(candidate.rejected())
            .setLabel(candidate.label())
            .setCompletionToolCalls(candidate.completionToolCalls())
            .setTools(candidate.tools())
            .setParallelToolCalls(candidate.parallelToolCalls())
            .setSplit(split)
            .setContentHash(governed.contentHash())
            .setPiiCounts(Map.copyOf(governed.piiCounts()))
            .setLineage(Rejections.lineage(context))
            .setEventTimestamp(Instant.ofEpochMilli(governed.eventTime()))
            .setCuratedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .setMetadata(governed.metadata())
            .build();
    int promptChars = 0;
    StringBuilder userText = new StringBuilder();
    for (ChatMessage turn : candidate.promptTurns()) {
      promptChars += turn.getContent().length();
      if (turn.getRole() != Role.system) {
        userText.append(turn.getContent()).append(' ');
      }
    }
    metrics.recordCurated(
        candidate.tenant(),
        candidate.track(),
        candidate.kind().name(),
        split.name(),
        promptChars,
        candidate.answers().get(0).length(),
        Script.category(userText));
    curated.forward(context, new Record<>(trackKey, example, record.timestamp(), record.headers()));
  }
}
