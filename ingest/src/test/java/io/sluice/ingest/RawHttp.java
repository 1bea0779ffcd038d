package io.sluice.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP over a plain socket, for what java.net.http cannot do: hold a body back, break off a body,
 * or send broken framing.
 */
final class RawHttp implements AutoCloseable {

  private final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(60_000);
  }

  /** Sends text as is (request line, headers, any body bytes). */
  RawHttp send(String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** Signals the end of what the client sends, keeping the connection open for the answer. */
  RawHttp endOfInput() throws IOException {
    socket.shutdownOutput();
    return this;
  }

  /** Everything the server sends until it closes the connection (send Connection: close). */
  String response() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }

  static String headers(String method, String path, String... headers) {
    StringBuilder text =
        new StringBuilder(
            method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    return text.append("\r\n").toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
