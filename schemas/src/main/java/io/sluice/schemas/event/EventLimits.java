package io.sluice.schemas.event;

/**
 * Size limits of one native event's fields. Lengths count UTF-16 code units (Java {@code
 * String.length()}), so a character outside the Basic Multilingual Plane counts twice. The byte
 * size of a whole event and the JSON nesting depth are limited where the bytes are read (see {@link
 * EventJsonReader}).
 *
 * @param maxIdLength longest client-supplied {@code id}
 * @param maxTextLength longest prompt, message content, completion, chosen, rejected, response,
 *     correction or comment
 * @param maxPromptMessages most chat messages in a prompt
 * @param maxMetadataEntries most entries in {@code metadata}
 * @param maxMetadataKeyLength longest metadata key
 * @param maxMetadataValueLength longest metadata value
 */
public record EventLimits(
    int maxIdLength,
    int maxTextLength,
    int maxPromptMessages,
    int maxMetadataEntries,
    int maxMetadataKeyLength,
    int maxMetadataValueLength) {

  /** The limits Sluice ships with; every service can override them in its config. */
  public static final EventLimits DEFAULT = new EventLimits(128, 524_288, 512, 64, 128, 4096);

  public EventLimits {
    requirePositive("maxIdLength", maxIdLength);
    requirePositive("maxTextLength", maxTextLength);
    requirePositive("maxPromptMessages", maxPromptMessages);
    requirePositive("maxMetadataEntries", maxMetadataEntries);
    requirePositive("maxMetadataKeyLength", maxMetadataKeyLength);
    requirePositive("maxMetadataValueLength", maxMetadataValueLength);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
    }
  }
}
