package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.avro.RawEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send slowly, stall or never finish must not keep the server from answering everyone
 * else: more such connections than the server has request threads, and normal requests are still
 * answered and written; a body trickling on a request thread gets 408; a stalled connection is
 * closed; nothing of an unfinished request is ever written.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SlowClientsTest {

  /** More than Jetty's request threads (250 with Javalin's defaults). */
  private static final int SLOW_CONNECTIONS = 400;

  private static final int PREFETCH = 4096;

  @TempDir static Path brokerDir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(brokerDir, 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** A server whose idle timeout is {@code idleTimeoutMs}; the rate floor is 2 KiB/s. */
  private static IngestServer server(int idleTimeoutMs) {
    return IngestServer.start(
        TestConfigs.ingest(
            broker.bootstrapServers(),
            Map.of(
                IngestConfig.PREFETCH_BYTES_CONFIG,
                Integer.toString(PREFETCH),
                IngestConfig.IDLE_TIMEOUT_MS_CONFIG,
                Integer.toString(idleTimeoutMs),
                IngestConfig.MIN_REQUEST_BYTES_PER_SECOND_CONFIG,
                "2048")));
  }

  @Test
  void shouldAnswerNormalRequestsWhileHundredsOfClientsSendTheirBodiesSlowly() throws Exception {
    String track = "slow-bodies";
    List<Socket> slow = new ArrayList<>();
    // Idle connections live longer than a normal request waits (60 s): had they kept threads,
    // the normal requests would time out.
    try (IngestServer server = server(120_000)) {
      IngestHttp http = new IngestHttp(server.port());
      for (int i = 0; i < SLOW_CONNECTIONS; i++) {
        String body = IngestServerTest.example("slow-" + i, track);
        // Headers and the first bytes of a small body; the rest never comes.
        slow.add(open(server, eventHeadersAndTenBytes(body)));
      }
      // Half-open: a request line and part of the headers.
      for (int i = 0; i < SLOW_CONNECTIONS / 4; i++) {
        slow.add(open(server, "POST /v1/events HTTP/1.1\r\nHost: localhost\r\n"));
      }

      for (int i = 0; i < 5; i++) {
        IngestHttp.Response answer =
            http.post(
                "/v1/events", "application/json", IngestServerTest.example("normal-" + i, track));
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
      }
      for (Socket socket : slow) {
        socket.close();
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }

    List<String> written =
        CommittedEvents.read(broker, 5, Duration.ofSeconds(30)).stream()
            .map(ConsumerRecord::value)
            .filter(event -> event.getTrack().equals(track))
            .map(RawEvent::getId)
            .toList();
    assertThat(written)
        .as("unfinished requests write nothing")
        .containsExactlyInAnyOrder("normal-0", "normal-1", "normal-2", "normal-3", "normal-4");
  }

  @Test
  void shouldAnswer408ToABodyTricklingOnARequestThread() throws Exception {
    String headers =
        RawHttp.headers(
            "POST",
            "/v1/events/batch",
            "Content-Type: application/x-ndjson",
            "Content-Length: 1000000");
    // More than the prefetch size, so the endpoint reads the rest on its thread.
    try (IngestServer server = server(120_000);
        Socket socket = open(server, headers + "\n".repeat(PREFETCH + 1000))) {
      Thread trickle = trickle(socket);

      String response = readUntilClosed(socket, Duration.ofSeconds(60));
      trickle.interrupt();

      assertThat(response).startsWith("HTTP/1.1 408");
      assertThat(response)
          .contains("urn:sluice:problem:request-timeout")
          .contains(IngestConfig.MIN_REQUEST_BYTES_PER_SECOND_CONFIG);
    }
  }

  @Test
  void shouldAnswer413AndCloseWhenAnOversizeBodyTricklesWhileDiscarded() throws Exception {
    String headers =
        RawHttp.headers(
            "POST",
            "/v1/events/batch",
            "Content-Type: application/x-ndjson",
            "Content-Length: " + 40 * 1024 * 1024); // over the 32 MiB batch limit
    try (IngestServer server = server(120_000);
        Socket socket = open(server, headers + "\n".repeat(PREFETCH + 1000))) {
      Thread trickle = trickle(socket);

      String response = readUntilClosed(socket, Duration.ofSeconds(60));
      trickle.interrupt();

      assertThat(response).startsWith("HTTP/1.1 413");
      assertThat(response).contains("urn:sluice:problem:payload-too-large");
    }
  }

  @Test
  void shouldCloseAConnectionThatStopsSendingMidBody() throws Exception {
    String body = IngestServerTest.example("stalled", "stalled-body");
    try (IngestServer server = server(3000);
        Socket socket = open(server, eventHeadersAndTenBytes(body))) {
      // The idle timeout is 3 s: well before the read gives up, the server has answered.
      String response = readUntilClosed(socket, Duration.ofSeconds(60));

      assertThat(response).startsWith("HTTP/1.1 408");
      assertThat(response)
          .contains("urn:sluice:problem:request-timeout")
          .contains(IngestConfig.IDLE_TIMEOUT_MS_CONFIG);
      assertThat(new IngestHttp(server.port()).get("/metrics").raw().body())
          .contains("sluice_ingest_events_rejected_total{reason=\"request-timeout\"} 1.0");
    }
  }

  @Test
  void shouldAnswer408ToASmallBodyTricklingWhilePrefetched() throws Exception {
    String body = IngestServerTest.example("trickled", "trickled-body");
    try (IngestServer server = server(120_000);
        Socket socket = open(server, eventHeadersAndTenBytes(body))) {
      OutputStream out = socket.getOutputStream();
      String response = null;
      socket.setSoTimeout(200);
      for (int i = 10; i < body.length() && response == null; i++) {
        out.write(body.charAt(i)); // one byte every 200 ms: far below 2 KiB/s
        out.flush();
        response = answerIfAny(socket);
      }

      assertThat(response).isNotNull().startsWith("HTTP/1.1 408");
      assertThat(response).contains(IngestConfig.MIN_REQUEST_BYTES_PER_SECOND_CONFIG);
    }
  }

  /** Writes a byte every 200 ms until the server closes or the test interrupts it. */
  private static Thread trickle(Socket socket) {
    Thread trickle =
        new Thread(
            () -> {
              try {
                OutputStream out = socket.getOutputStream();
                while (true) {
                  Thread.sleep(200);
                  out.write('\n');
                  out.flush();
                }
              } catch (IOException | InterruptedException stopped) {
                // the server answered and closed, or the test ended
              }
            });
    trickle.setDaemon(true);
    trickle.start();
    return trickle;
  }

  /** A POST /v1/events of {@code body}: the headers and only the body's first ten bytes. */
  private static String eventHeadersAndTenBytes(String body) {
    return RawHttp.headers(
            "POST",
            "/v1/events",
            "Content-Type: application/json",
            "Content-Length: " + body.length())
        + body.substring(0, 10);
  }

  private static Socket open(IngestServer server, String firstBytes) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.getOutputStream().write(firstBytes.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return socket;
  }

  /** The server's whole answer if it has begun to answer within the socket's timeout, else null. */
  private static String answerIfAny(Socket socket) throws IOException {
    byte[] first = new byte[1];
    try {
      if (socket.getInputStream().read(first) == -1) {
        return "";
      }
    } catch (SocketTimeoutException e) {
      return null;
    }
    return (char) first[0] + readUntilClosed(socket, Duration.ofSeconds(30));
  }

  /** What the server sends until it closes; fails if it has not closed within {@code limit}. */
  private static String readUntilClosed(Socket socket, Duration limit) throws IOException {
    socket.setSoTimeout((int) limit.toMillis());
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    try {
      int read;
      while ((read = in.read(buffer)) != -1) {
        text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for " + limit, e);
    } catch (IOException reset) {
      // closed with a reset: as closed
    }
    return text.toString();
  }
}
