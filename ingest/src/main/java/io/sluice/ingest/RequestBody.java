package io.sluice.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.eclipse.jetty.http.BadMessageException;

/** Reads request bodies without ever holding more than the limit in memory. */
final class RequestBody {

  private RequestBody() {}

  /**
   * The whole body, or a 413 as soon as it is known to exceed {@code limit} bytes: from the
   * Content-Length header before reading, or while reading a chunked body.
   *
   * @param limitKey the setting that sets the limit, named in the error
   */
  static byte[] read(InputStream in, long contentLength, int limit, String limitKey)
      throws IOException {
    checkDeclaredLength(contentLength, limit, limitKey);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(contentLength > 0 ? (int) contentLength : 8192);
    byte[] chunk = new byte[65_536];
    long total = 0;
    int read;
    while ((read = in.read(chunk)) != -1) {
      total += read;
      if (total > limit) {
        throw tooLarge("more than " + limit + " bytes", limit, limitKey);
      }
      out.write(chunk, 0, read);
    }
    return out.toByteArray();
  }

  /**
   * Reads and drops what is left of a refused body, at most {@code bound} bytes, so that a client
   * still writing it does not hit a closed connection before it reads the answer. Returns whether
   * the body ended within the bound (false also when the client broke off).
   */
  static boolean discardRest(InputStream in, long bound) {
    byte[] sink = new byte[65_536];
    long discarded = 0;
    try {
      int read;
      while ((read = in.read(sink, 0, (int) Math.min(sink.length, bound - discarded + 1))) != -1) {
        discarded += read;
        if (discarded > bound) {
          return false;
        }
      }
      return true;
    } catch (IOException | BadMessageException e) {
      // broke off, or trickled below ingest.min.request.bytes.per.second
      return false;
    }
  }

  /** 413 when the Content-Length header (negative when absent) already exceeds the limit. */
  static void checkDeclaredLength(long contentLength, int limit, String limitKey) {
    if (contentLength > limit) {
      throw tooLarge(contentLength + " bytes", limit, limitKey);
    }
  }

  private static ProblemException tooLarge(String size, int limit, String limitKey) {
    return new ProblemException(
        Problem.Kind.PAYLOAD_TOO_LARGE,
        "the body is " + size + "; the limit is " + limit + " bytes (" + limitKey + ")");
  }

  /**
   * Checks the Content-Type: the media type must be {@code expected} and the charset, if given,
   * UTF-8 (the only encoding JSON allows on the wire, RFC 8259).
   */
  static void requireContentType(String header, String expected) {
    if (header == null || header.isBlank()) {
      throw new ProblemException(
          Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "no Content-Type; send Content-Type: " + expected);
    }
    String[] parts = header.split(";");
    String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(expected)) {
      throw new ProblemException(
          Problem.Kind.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type " + mediaType + " is not accepted here; send " + expected);
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].strip().equalsIgnoreCase("charset")
          && (parameter.length < 2
              || !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
        throw new ProblemException(
            Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "only charset=utf-8 is accepted");
      }
    }
  }

  /**
   * Refuses compressed bodies (RFC 7694: 415 for an unsupported content coding); reading them as
   * JSON would report a misleading encoding error.
   */
  static void requireIdentityEncoding(String contentEncoding) {
    if (contentEncoding != null
        && !contentEncoding.isBlank()
        && !contentEncoding.strip().equalsIgnoreCase("identity")) {
      throw new ProblemException(
          Problem.Kind.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding "
              + contentEncoding.strip()
              + " is not accepted; send the body uncompressed");
    }
  }
}
