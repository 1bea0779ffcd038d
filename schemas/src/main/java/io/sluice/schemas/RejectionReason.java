package io.sluice.schemas;

import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Stage;

/**
 * Why a record went to {@code sluice.events.rejected}: the values of {@link RejectedEvent}'s {@code
 * reason}. The field stays an Avro string, so records written before a code was added (or by a
 * newer writer) still read; these constants are the codes Sluice writes, and their names are public
 * interface (metric tags, dashboards, alerts).
 */
public enum RejectionReason {
  /** The raw record is not a readable {@code RawEvent} (stage VALIDATE). */
  UNREADABLE,
  /** A field breaks the event rules (stage VALIDATE). */
  INVALID_FIELD,
  /** The record key is not the event's {@code tenant/track} (stage VALIDATE). */
  MISKEYED,
  /**
   * No longer written: a down-vote is now curated as an UNDESIRABLE vote. Kept because old records
   * carry it and the drift feature {@code rejection_reason} keeps its bin.
   */
  NEGATIVE_FEEDBACK,
  /** A rating of 3, or none, without a correction (stage CONVERT). */
  NEUTRAL_FEEDBACK,
  /** A required text is empty after trimming (stage FILTER). */
  EMPTY_FIELD,
  /** A text is shorter than the filter's minimum (stage FILTER). */
  TOO_SHORT,
  /** A text is longer than the filter's maximum (stage FILTER). */
  TOO_LONG,
  /** Too large a share of a text is symbols (stage FILTER). */
  TOO_MANY_SYMBOLS,
  /** A text repeats the same n-grams too often (stage FILTER). */
  REPEATED_NGRAMS,
  /** A preference whose chosen and rejected answers are the same (stage FILTER). */
  CHOSEN_EQUALS_REJECTED,
  /** A text contains a blocklisted term (stage FILTER). */
  BLOCKLISTED_TERM,
  /** Same or nearly the same content as a curated record of the track (stage DEDUPLICATE). */
  DUPLICATE,
  /** {@code sluice curate}: an input line is not JSON (stage VALIDATE). */
  MALFORMED_JSON,
  /** {@code sluice curate}: an input line is longer than its limit (stage VALIDATE). */
  LINE_TOO_LONG,
  /** The trainer gave up on the window holding the example (stage TRAIN). */
  TRAINING_FAILED;

  /**
   * A {@link RejectedEvent} builder with this reason, {@code stage} and {@code detail} set; the
   * caller adds what it knows of the record (ids, content, lineage, time).
   */
  public RejectedEvent.Builder rejection(Stage stage, String detail) {
    return RejectedEvent.newBuilder().setReason(name()).setStage(stage).setDetail(detail);
  }
}
