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
import java.io.CharArrayReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
      throw new IllegalArgumentException("maxNestingDepth must be at least 1 but was " + maxNestingDepth);
    }
    this.maxNestingDepth = maxNestingDepth;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
            // Last-one-wins on a repeated key would silently drop what the client sent.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper =
        new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Reads the whole array. */
  public JsonNode read(byte[] bytes) throws MalformedJsonException {
    return read(bytes, 0, bytes.length);
  }

  /** Reads {@code length} bytes from {@code offset}. */
  public JsonNode read(byte[] bytes, int offset, int length) throws MalformedJsonException {
    char[] chars = decodeUtf8(bytes, offset, length);
    try {
      // Through a Reader, not a JsonParser, so that FAIL_ON_TRAILING_TOKENS applies.
      JsonNode node = mapper.readTree(new CharArrayReader(chars));
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
          MalformedJsonException.Kind.SYNTAX, "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      // Reading from an in-memory array: only a parser bug lands here.
      throw new IllegalStateException("cannot read in-memory JSON", e);
    }
  }

  /**
   * Decodes strictly: Jackson's own UTF-8 decoding does not reject every invalid sequence
   * (overlong forms, encoded surrogates), and a JDK decoder set to REPORT does.
   */
  private static char[] decodeUtf8(byte[] bytes, int offset, int length)
      throws MalformedJsonException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length); // UTF-8 never yields more chars than bytes
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new MalformedJsonException(
          MalformedJsonException.Kind.ENCODING,
          "invalid UTF-8 at byte " + (in.position() - offset),
          null);
    }
    char[] chars = new char[out.position()];
    out.flip().get(chars);
    return chars;
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
