package io.sluice.curator.filter;

import java.util.Objects;

/** Why the quality filter refused a candidate: a reason code and a human-readable detail. */
public record FilterVerdict(String reason, String detail) {

  public static final String EMPTY_FIELD = "EMPTY_FIELD";
  public static final String TOO_SHORT = "TOO_SHORT";
  public static final String TOO_LONG = "TOO_LONG";
  public static final String TOO_MANY_SYMBOLS = "TOO_MANY_SYMBOLS";
  public static final String REPEATED_NGRAMS = "REPEATED_NGRAMS";
  public static final String CHOSEN_EQUALS_REJECTED = "CHOSEN_EQUALS_REJECTED";
  public static final String BLOCKLISTED_TERM = "BLOCKLISTED_TERM";

  public FilterVerdict {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
