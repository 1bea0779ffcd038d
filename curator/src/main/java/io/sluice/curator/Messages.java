package io.sluice.curator;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.dedup.NormalizedTexts;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Stage;
import io.sluice.schemas.event.NativeEvents;
import java.util.List;
import java.util.Map;

/**
 * What the curator's processors pass to each other inside one sub-topology. They are forwarded in
 * memory, never serialized, so they need no serde.
 */
final class Messages {

  private Messages() {}

  /**
   * A rejection decided before the anonymize stage: its content is still raw and must pass the
   * {@code anonymize-rejected} processor before it is written.
   *
   * @param event the raw event, or null when the record could not be decoded
   */
  record PendingRejection(RawEvent event, RejectionReason reason, Stage stage, String detail) {}

  /** A validated event and the candidates it yields (stage 2 output). */
  record Converted(RawEvent event, List<Candidate> candidates) {}

  /**
   * An anonymized candidate on its way through filter, dedup and split.
   *
   * @param candidate the candidate with anonymized texts
   * @param source the anonymized source event, rendered as a rejection's content only when needed
   * @param piiCounts PII spans replaced in the source event, by type name
   * @param metadata the source event's anonymized metadata
   * @param eventTime the source event's timestamp in epoch milliseconds
   * @param contentHash set by the dedup stage, null before it
   */
  record Governed(
      Candidate candidate,
      RawEvent source,
      Map<String, Integer> piiCounts,
      Map<String, String> metadata,
      long eventTime,
      String contentHash,
      NormalizedTexts normalized) {

    Governed withContentHash(String hash) {
      return new Governed(candidate, source, piiCounts, metadata, eventTime, hash, normalized);
    }

    /** The anonymized source event as native JSON, the content of a rejection. */
    String sourceContent() {
      return NativeEvents.toJsonLine(source);
    }
  }
}
