package io.sluice.trainer;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.OffsetRange;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What published candidates already cover: per track and curated partition, the end of the last
 * trained range. A track's windows follow each other in offset order, so an example of that track
 * below this mark was trained. Read from the candidates topic (read_committed) when partitions are
 * assigned: committed offsets may lag behind a track's trained examples when another track's window
 * on the same partition is still open.
 */
final class CandidateLedger {
  private final Map<String, Map<Integer, Long>> trainedUntil = new HashMap<>();

  boolean covers(String trackKey, TopicPartition partition, long offset) {
    Long until = trainedUntil.getOrDefault(trackKey, Map.of()).get(partition.partition());
    return until != null && offset < until;
  }

  void record(AdapterCandidate candidate) {
    String track = Topics.trackKey(candidate.getTenant(), candidate.getTrack());
    for (OffsetRange range : candidate.getSources()) {
      if (range.getTopic().equals(Topics.EXAMPLES_CURATED.name())) {
        trainedUntil
            .computeIfAbsent(track, t -> new HashMap<>())
            .merge(range.getPartition(), range.getUntilOffset(), Math::max);
      }
    }
  }

  /** Reads every committed candidate. */
  static CandidateLedger read(Map<String, Object> clientProperties) {
    CandidateLedger ledger = new CandidateLedger();
    TopicSnapshot.read(clientProperties, Topics.ADAPTERS_CANDIDATES, ledger::record);
    return ledger;
  }
}
