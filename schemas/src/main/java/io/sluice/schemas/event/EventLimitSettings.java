package io.sluice.schemas.event;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The {@link EventLimits} as settings of a service that reads events, named {@code
 * <prefix>max.id.length} and so on, so that every such service defines, documents and reads them
 * the same way (ingest accepts by them; the curator re-validates by them).
 */
public final class EventLimitSettings {

  private final String prefix;

  /**
   * @param prefix the service's key prefix, e.g. {@code "ingest."}
   */
  public EventLimitSettings(String prefix) {
    this.prefix = prefix;
  }

  public String idLength() {
    return prefix + "max.id.length";
  }

  public String textLength() {
    return prefix + "max.text.length";
  }

  public String promptMessages() {
    return prefix + "max.prompt.messages";
  }

  public String metadataEntries() {
    return prefix + "max.metadata.entries";
  }

  public String metadataKeyLength() {
    return prefix + "max.metadata.key.length";
  }

  public String metadataValueLength() {
    return prefix + "max.metadata.value.length";
  }

  /**
   * Adds the six keys, defaulting to {@link EventLimits#DEFAULT}; {@code docSuffix} ends each doc.
   */
  public ConfigDef define(ConfigDef definition, String docSuffix) {
    EventLimits defaults = EventLimits.DEFAULT;
    return definition
        .define(
            idLength(),
            Type.INT,
            defaults.maxIdLength(),
            Range.atLeast(1),
            Importance.LOW,
            "Longest client-supplied event `id`, in characters." + docSuffix)
        .define(
            textLength(),
            Type.INT,
            defaults.maxTextLength(),
            Range.atLeast(1),
            Importance.LOW,
            "Longest text field (prompt, message content, completion, chosen, rejected, response,"
                + " correction, comment), in characters (UTF-16 code units)."
                + docSuffix)
        .define(
            promptMessages(),
            Type.INT,
            defaults.maxPromptMessages(),
            Range.atLeast(1),
            Importance.LOW,
            "Most chat messages in one prompt." + docSuffix)
        .define(
            metadataEntries(),
            Type.INT,
            defaults.maxMetadataEntries(),
            Range.atLeast(1),
            Importance.LOW,
            "Most entries in an event's `metadata`." + docSuffix)
        .define(
            metadataKeyLength(),
            Type.INT,
            defaults.maxMetadataKeyLength(),
            Range.atLeast(1),
            Importance.LOW,
            "Longest metadata key, in characters." + docSuffix)
        .define(
            metadataValueLength(),
            Type.INT,
            defaults.maxMetadataValueLength(),
            Range.atLeast(1),
            Importance.LOW,
            "Longest metadata value, in characters." + docSuffix);
  }

  /** The limits from values parsed by a definition that went through {@link #define}. */
  public EventLimits read(Map<String, Object> values) {
    return new EventLimits(
        (Integer) values.get(idLength()),
        (Integer) values.get(textLength()),
        (Integer) values.get(promptMessages()),
        (Integer) values.get(metadataEntries()),
        (Integer) values.get(metadataKeyLength()),
        (Integer) values.get(metadataValueLength()));
  }
}
