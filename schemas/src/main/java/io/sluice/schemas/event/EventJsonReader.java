package io.sluice.schemas.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads one native event (a request body or one JSONL line) from bytes, strictly: the bytes must be
 * valid UTF-8 (an invalid sequence is an error, never a replacement character), hold exactly one
 * JSON value, repeat no object key, and nest at most {@code maxNestingDepth} arrays and objects.
 * Thread-safe.
 */
public final class EventJsonReader {

  private final ObjectMapper mapper;
  private final int maxNestingDepth;

  public EventJsonReader(int maxNestingDepth) {
    if (maxNestingDepth < 1) {
      throw new IllegalArgumentException(
          "maxNestingDepth must be at least 1 but was " + maxNestingDepth);
    }
    this.maxNestingDepth = maxNestingDepth;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
            // Last-one-wins on a repeated key would silently drop what the client sent.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Reads the whole array. */
  public JsonNode read(byte[] bytes) throws MalformedJsonException {
    return read(bytes, 0, bytes.length);
  }

  /** Reads {@code length} bytes from {@code offset}. */
  public JsonNode read(byte[] bytes, int offset, int length) throws MalformedJsonException {
    requireUtf8(bytes, offset, length);
    try {
      JsonNode node = mapper.readTree(bytes, offset, length);
      if (node == null || node.isMissingNode()) {
        throw new MalformedJsonException(MalformedJsonException.Kind.SYNTAX, "no JSON value", null);
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new MalformedJsonException(
          MalformedJsonException.Kind.DEPTH,
          "JSON nests arrays and objects deeper than the limit of " + maxNestingDepth,
          e);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(
          MalformedJsonException.Kind.SYNTAX,
          "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      // Reading from an in-memory array: only a parser bug lands here.
      throw new IllegalStateException("cannot read in-memory JSON", e);
    }
  }

  /**
   * Checks well-formed UTF-8 (RFC 3629) before Jackson decodes it: Jackson does not reject every
   * invalid sequence (overlong forms, encoded surrogates, code points above U+10FFFF). A
   * hand-written pass rather than a JDK decoder, because it allocates nothing and the bytes then go
   * to Jackson's faster byte parser.
   */
  static void requireUtf8(byte[] bytes, int offset, int length) throws MalformedJsonException {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int size;
      int min = 0x80;
      int max = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        size = 2;
      } else if (b >= 0xE0 && b <= 0xEF) {
        size = 3;
        min = b == 0xE0 ? 0xA0 : 0x80; // no overlong forms
        max = b == 0xED ? 0x9F : 0xBF; // no UTF-16 surrogates
      } else if (b >= 0xF0 && b <= 0xF4) {
        size = 4;
        min = b == 0xF0 ? 0x90 : 0x80; // no overlong forms
        max = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
      } else {
        throw invalidUtf8(i - offset);
      }
      if (i + size > end) {
        throw invalidUtf8(i - offset);
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < min || second > max) {
        throw invalidUtf8(i - offset);
      }
      for (int k = 2; k < size; k++) {
        int next = bytes[i + k] & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          throw invalidUtf8(i - offset);
        }
      }
      i += size;
    }
  }

  private static MalformedJsonException invalidUtf8(int position) {
    return new MalformedJsonException(
        MalformedJsonException.Kind.ENCODING, "invalid UTF-8 at byte " + position, null);
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
