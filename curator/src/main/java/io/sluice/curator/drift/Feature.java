package io.sluice.curator.drift;

import io.sluice.schemas.RejectionReason;
import java.util.List;
import java.util.stream.Stream;

/**
 * A monitored distribution and its fixed bins. Fixed edges (rather than quantiles of the reference)
 * keep bins comparable across tracks, restarts and pinned baselines.
 */
public enum Feature {
  /** Characters in the prompt (all turns). Roughly doubling edges: chat lengths are log-normal. */
  PROMPT_LENGTH("prompt_length", edges(16, 32, 64, 128, 256, 512, 1024, 2048, 4096)),
  /** Characters in the completion (SFT) or chosen answer (preference). */
  COMPLETION_LENGTH("completion_length", edges(16, 32, 64, 128, 256, 512, 1024, 2048, 4096)),
  /** Feedback rating on 1..5 (down = 1, up = 5), one bin per value. */
  RATING("rating", edges(1.5, 2.5, 3.5, 4.5)),
  /** 1 when an event contained any PII, else 0. */
  PII_RATE("pii_rate", edges(0.5)),
  /** 1 when a candidate was a duplicate, else 0. */
  DUPLICATE_RATE("duplicate_rate", edges(0.5)),
  /** Outcome of each record: curated, or the reject reason (see {@link Outcomes}). */
  REJECTION_REASON("rejection_reason", Outcomes.edges()),
  /** Dominant script of the prompt's letters (see {@link Script}), one bin per category. */
  LANGUAGE("language", categoryEdges(Script.CATEGORIES.size()));

  private final String tag;
  private final double[] edges;

  Feature(String tag, double[] edges) {
    this.tag = tag;
    this.edges = edges;
  }

  /** The value of the {@code feature} tag. */
  public String tag() {
    return tag;
  }

  /** Number of bins: one more than the number of edges. */
  public int bins() {
    return edges.length + 1;
  }

  /** Bin i holds values in [edges[i-1], edges[i]); the last bin is open-ended. */
  public int bin(double value) {
    for (int i = 0; i < edges.length; i++) {
      if (value < edges[i]) {
        return i;
      }
    }
    return edges.length;
  }

  /** The feature with this tag. */
  public static Feature byTag(String tag) {
    for (Feature feature : values()) {
      if (feature.tag.equals(tag)) {
        return feature;
      }
    }
    throw new IllegalArgumentException(
        "unknown drift feature "
            + tag
            + "; known: "
            + List.of(values()).stream().map(Feature::tag).toList());
  }

  private static double[] edges(double... edges) {
    return edges;
  }

  /** Edges between categories 0, 1, ..., count - 1. */
  private static double[] categoryEdges(int count) {
    double[] edges = new double[count - 1];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = i + 0.5;
    }
    return edges;
  }

  /** Record outcomes as categories: index 0 is curated, then one per reason code, then other. */
  public static final class Outcomes {

    public static final String CURATED = "CURATED";

    /**
     * Reason codes with their own bin; any other reason lands in the last bin. The order is the bin
     * layout of saved drift state, so a code is only ever appended.
     */
    public static final List<String> REASONS =
        Stream.of(
                RejectionReason.UNREADABLE,
                RejectionReason.INVALID_FIELD,
                RejectionReason.MISKEYED,
                RejectionReason.NEGATIVE_FEEDBACK,
                RejectionReason.NEUTRAL_FEEDBACK,
                RejectionReason.EMPTY_FIELD,
                RejectionReason.TOO_SHORT,
                RejectionReason.TOO_LONG,
                RejectionReason.TOO_MANY_SYMBOLS,
                RejectionReason.REPEATED_NGRAMS,
                RejectionReason.CHOSEN_EQUALS_REJECTED,
                RejectionReason.BLOCKLISTED_TERM,
                RejectionReason.DUPLICATE)
            .map(RejectionReason::name)
            .toList();

    private Outcomes() {}

    /** The value whose bin is {@code outcome}'s category. */
    public static double value(String outcome) {
      if (CURATED.equals(outcome)) {
        return 0;
      }
      int index = REASONS.indexOf(outcome);
      return index < 0 ? REASONS.size() + 1 : index + 1;
    }

    static double[] edges() {
      double[] edges = new double[REASONS.size() + 1];
      for (int i = 0; i < edges.length; i++) {
        edges[i] = i + 0.5;
      }
      return edges;
    }
  }
}
