package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client that writes its whole body before reading the answer (Python's urllib and requests do)
 * still gets the 413 for an oversize body: the server reads and discards the rest of the body, up
 * to a bound, instead of closing the connection while the client is still writing, which the client
 * would see as a broken pipe or a reset.
 */
class OversizeBodyTest {

  private static IngestServer server;

  @BeforeAll
  static void start() {
    server = IngestServer.start(TestConfigs.ingest("127.0.0.1:1", Map.of()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({
    // Declared too large: refused before reading, from Content-Length.
    "/v1/events, application/json, 3000000, false",
    "/v1/events/batch, application/x-ndjson, 40000000, false",
    // Chunked: refused while reading, once the body passes the limit.
    "/v1/events, application/json, 3000000, true",
  })
  void shouldAnswer413ToAClientThatWritesItsWholeBodyFirst(
      String path, String contentType, int bodyBytes, boolean chunked) throws Exception {
    byte[] body = new byte[bodyBytes];
    Arrays.fill(body, (byte) 'x');
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      String framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + bodyBytes;
      // Keep-alive, as urllib and requests send it.
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                  + contentType
                  + "\r\n"
                  + framing
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      // Like urllib: the whole body goes out before the first byte of the answer is read. A server
      // that closed early makes one of these writes fail.
      int chunk = 65_536;
      for (int offset = 0; offset < bodyBytes; offset += chunk) {
        int length = Math.min(chunk, bodyBytes - offset);
        if (chunked) {
          out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(body, offset, length);
        if (chunked) {
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      }
      if (chunked) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();

      String response = readResponse(socket.getInputStream());
      assertThat(response).startsWith("HTTP/1.1 413");
      assertThat(response).contains("application/problem+json").contains("payload-too-large");
    }
  }

  /** The status line, headers and a Content-Length body (the connection may stay open). */
  private static String readResponse(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
