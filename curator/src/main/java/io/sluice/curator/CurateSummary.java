package io.sluice.curator;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an offline {@code curate} run did.
 *
 * @param in non-blank input lines
 * @param out curated records written (a corrected feedback event yields two)
 * @param rejected rejected records written
 * @param rejectedByReason rejected records by reason code
 * @param piiByType PII values replaced, by type, counted once per input event
 * @param duplicates records rejected as duplicates
 */
public record CurateSummary(
    long in,
    long out,
    long rejected,
    Map<String, Long> rejectedByReason,
    Map<String, Long> piiByType,
    long duplicates) {

  public CurateSummary {
    rejectedByReason = Map.copyOf(rejectedByReason);
    piiByType = Map.copyOf(piiByType);
  }

  /** The summary as the lines {@code sluice curate} prints. */
  public String render() {
    StringBuilder text = new StringBuilder();
    text.append("in:         ").append(in).append('\n');
    text.append("out:        ").append(out).append('\n');
    text.append("rejected:   ").append(rejected).append('\n');
    new TreeMap<>(rejectedByReason)
        .forEach(
            (reason, count) ->
                text.append("  ").append(reason).append(": ").append(count).append('\n'));
    text.append("duplicates: ").append(duplicates).append('\n');
    text.append("pii:        ")
        .append(piiByType.values().stream().mapToLong(Long::longValue).sum())
        .append('\n');
    new TreeMap<>(piiByType)
        .forEach(
            (type, count) ->
                text.append("  ").append(type).append(": ").append(count).append('\n'));
    return text.toString();
  }
}
