package io.sluice.evaluator;

import io.sluice.schemas.avro.GateReason.Builder;
import java.util.Locale;

/**
 * One reason of a decision with its numbers; {@code null} numbers do not apply to the code.
 *
 * @param drop {@code from − to}: a forgetting drop, or minus the domain improvement
 */
public record GateReason(
    ReasonCode code,
    String message,
    String task,
    Double from,
    Double to,
    Double drop,
    Double threshold,
    Double lower,
    Double upper) {

  public static GateReason of(ReasonCode code, String message) {
    return new GateReason(code, message, null, null, null, null, null, null, null);
  }

  /**
   * A general task that dropped from {@code from} to {@code to}, held against {@code threshold}.
   */
  public static GateReason drop(
      ReasonCode code, String task, double from, double to, double threshold, String against) {
    double drop = from - to;
    String message =
        String.format(
            Locale.ROOT,
            "%s dropped from %.3f to %.3f against the %s (%.1f points > %.1f allowed)",
            task,
            from,
            to,
            against,
            drop * 100,
            threshold * 100);
    return new GateReason(code, message, task, from, to, drop, threshold, null, null);
  }

  /** The one-line form kept in the decision's {@code reasons}. */
  public String line() {
    return code + ": " + message;
  }

  public io.sluice.schemas.avro.GateReason toAvro() {
    Builder b =
        io.sluice.schemas.avro.GateReason.newBuilder().setCode(code.name()).setMessage(message);
    return b.setTask(task)
        .setFromValue(from)
        .setToValue(to)
        .setDrop(drop)
        .setThreshold(threshold)
        .setLower(lower)
        .setUpper(upper)
        .build();
  }
}
