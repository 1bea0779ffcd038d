package io.sluice.trainer;

import io.sluice.model.io.ChatTurn;
import io.sluice.model.train.TrainingExample;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One run's exact input: a window of one tenant/track less its semantic duplicates, its replay
 * sample from the same track and its rehearsal items, under an adapter id derived from the window's
 * offset ranges.
 *
 * @param window every example of the window, trained or not (offsets and lineage)
 * @param sha256 hash of the exact training set (ids and texts, in order), recorded in lineage
 * @param semanticDedup which window examples were left out as paraphrases of earlier kept ones
 */
record TrainingSet(
    String adapterId,
    String tenant,
    String track,
    List<PendingExample> window,
    List<CuratedExample> replay,
    int rehearsalCount,
    long rehearsalSeed,
    List<TrainingExample> examples,
    String sha256,
    List<OffsetRange> sources,
    long windowStartedAt,
    SemanticDedup.Result semanticDedup) {

  static TrainingSet build(
      List<PendingExample> window,
      TrackSettings settings,
      ReplayReservoir reservoir,
      Rehearsal rehearsal) {
    return build(window, SemanticDedup.Result.disabled(window), settings, reservoir, rehearsal);
  }

  /**
   * The set of {@code window} less the duplicates {@code dedup} found; replay and rehearsal fit the
   * rest.
   */
  static TrainingSet build(
      List<PendingExample> window,
      SemanticDedup.Result dedup,
      TrackSettings settings,
      ReplayReservoir reservoir,
      Rehearsal rehearsal) {
    CuratedExample first = window.get(0).record();
    List<OffsetRange> sources = ranges(window);
    String adapterId = adapterId(first.getTenant(), first.getTrack(), sources);
    long seed = settings.training().seed() ^ adapterId.hashCode();
    TrackSettings.Mix mix = settings.mix(dedup.kept().size());
    List<CuratedExample> replay = reservoir.sample(mix.replay(), new Random(seed));
    List<TrainingExample> examples = new ArrayList<>();
    dedup.kept().forEach(e -> examples.add(CuratedExamples.toTrainingExample(e.record())));
    replay.forEach(r -> examples.add(CuratedExamples.toTrainingExample(r)));
    long rehearsalSeed = seed * 31 + 7;
    List<TrainingExample> general =
        rehearsal == null || mix.rehearsal() == 0
            ? List.of()
            : rehearsal.draw(mix.rehearsal(), rehearsalSeed);
    examples.addAll(general);
    long startedAt = window.stream().mapToLong(PendingExample::timestampMs).min().orElse(0);
    return new TrainingSet(
        adapterId,
        first.getTenant(),
        first.getTrack(),
        window,
        replay,
        general.size(),
        rehearsalSeed,
        List.copyOf(examples),
        sha256(examples),
        sources,
        startedAt,
        dedup);
  }

  /** Per curated partition, the half-open range from the window's first to past its last offset. */
  static List<OffsetRange> ranges(List<PendingExample> window) {
    Map<Integer, long[]> byPartition = new TreeMap<>();
    for (PendingExample e : window) {
      byPartition.merge(
          e.partition().partition(),
          new long[] {e.offset(), e.offset() + 1},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<OffsetRange> out = new ArrayList<>();
    byPartition.forEach(
        (p, r) -> out.add(new OffsetRange(Topics.EXAMPLES_CURATED.name(), p, r[0], r[1])));
    return out;
  }

  /** A function of tenant, track and offset ranges only: a retrained window keeps its id. */
  static String adapterId(String tenant, String track, List<OffsetRange> sources) {
    StringBuilder key = new StringBuilder(tenant).append('\0').append(track);
    sources.forEach(
        r ->
            key.append('\0')
                .append(r.getTopic())
                .append(':')
                .append(r.getPartition())
                .append(':')
                .append(r.getFromOffset())
                .append('-')
                .append(r.getUntilOffset()));
    return "ad-" + hex(key.toString()).substring(0, 24);
  }

  private static String sha256(List<TrainingExample> examples) {
    StringBuilder text = new StringBuilder();
    for (TrainingExample e : examples) {
      text.append(e.id()).append('\u0001');
      e.messages()
          .forEach(
              m ->
                  text.append(m.role())
                      .append('\u0002')
                      .append(m.content())
                      .append(toolText(m))
                      .append('\u0001'));
      if (e instanceof TrainingExample.Sft s) {
        text.append(s.completion());
        s.completionToolCalls()
            .forEach(c -> text.append('\u0003').append(c.name()).append(c.arguments()));
      } else if (e instanceof TrainingExample.Preference p) {
        text.append(p.chosen()).append('\u0002').append(p.rejected());
      } else if (e instanceof TrainingExample.Binary b) {
        text.append(b.response()).append('\u0002').append(b.desirable() ? '+' : '-');
      }
      text.append('\u0000');
    }
    return hex(text.toString());
  }

  /**
   * Calls, call id and training flag of a turn; empty for plain turns, so their hash is as before.
   */
  private static String toolText(ChatTurn turn) {
    StringBuilder text = new StringBuilder();
    turn.toolCalls().forEach(c -> text.append('\u0003').append(c.name()).append(c.arguments()));
    if (turn.toolCallId() != null) {
      text.append('\u0004').append(turn.toolCallId());
    }
    if (turn.trained()) {
      text.append('\u0005');
    }
    return text.toString();
  }

  private static String hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
