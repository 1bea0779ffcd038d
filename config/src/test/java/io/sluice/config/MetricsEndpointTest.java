package io.sluice.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final HttpClient http = HttpClient.newHttpClient();
  private MetricsEndpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    endpoint = MetricsEndpoint.start(0, registry, ready::get);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + endpoint.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeTheRegistryInPrometheusTextFormat() throws Exception {
    registry.counter("sluice_test_records_in", "tenant", "acme", "track", "support").increment();

    HttpResponse<String> response = request("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body())
        .contains("sluice_test_records_in_total{tenant=\"acme\",track=\"support\"} 1.0");
  }

  @Test
  void shouldReportLivenessAlwaysAndReadinessFromTheSupplier() throws Exception {
    assertThat(request("GET", "/healthz").statusCode()).isEqualTo(200);
    assertThat(request("GET", "/readyz").statusCode()).isEqualTo(503);

    ready.set(true);

    assertThat(request("GET", "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldAnswerUnknownPathsWith404AndWritesWith405() throws Exception {
    assertThat(request("GET", "/").statusCode()).isEqualTo(404);
    assertThat(request("GET", "/metricsx").statusCode()).isEqualTo(404);
    HttpResponse<String> post = request("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void shouldAnswerHeadWithoutABody() throws Exception {
    HttpResponse<String> head = request("HEAD", "/metrics");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  /**
   * Before Jetty, three such connections kept /healthz from answering for as long as they lasted.
   */
  @Test
  void shouldAnswerProbesWhileClientsHoldHalfSentRequests() throws Exception {
    List<Socket> halfOpen = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket("localhost", endpoint.port());
        socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
        socket.getOutputStream().flush();
        halfOpen.add(socket);
      }

      assertThat(request("GET", "/healthz").statusCode()).isEqualTo(200);
      assertThat(request("GET", "/metrics").statusCode()).isEqualTo(200);
    } finally {
      for (Socket socket : halfOpen) {
        socket.close();
      }
    }
  }
}
