package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ServiceOptionsTest {

  @Command(name = "demo")
  static final class DemoCommand implements Runnable {
    @Mixin ServiceOptions options;
    @Mixin HttpPortOption http;
    @Mixin ModelStoreOptions model;

    @Override
    public void run() {}
  }

  private final DemoCommand demo = new DemoCommand();
  private final CommandLine cli = new CommandLine(demo);
  private final StringWriter out = new StringWriter();

  ServiceOptionsTest() {
    cli.setOut(new PrintWriter(out));
  }

  @Test
  void shouldServeMetricsAndPrintWhereUnderTheCommandsName() throws Exception {
    cli.parseArgs();
    AtomicInteger closed = new AtomicInteger();

    demo.options.serveMetricsUntilStopped(
        0, "demo.metrics.port", () -> true, closed::incrementAndGet);

    Matcher printed =
        Pattern.compile(
                "demo metrics: http://localhost:(\\d+)/metrics \\(also /healthz, /readyz\\)\\R")
            .matcher(out.toString());
    assertThat(printed.matches()).as(out.toString()).isTrue();
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + printed.group(1) + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(closed).hasValue(0);
  }

  @Test
  void shouldCloseTheServiceAndNameTheKeyWhenThePortIsTaken() throws Exception {
    cli.parseArgs();
    AtomicInteger closed = new AtomicInteger();
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      assertThatThrownBy(
              () ->
                  demo.options.serveMetricsUntilStopped(
                      port, "demo.metrics.port", () -> true, closed::incrementAndGet))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot serve metrics on port " + port + " (demo.metrics.port)");
    }
    assertThat(closed).hasValue(1);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldSetOnlyTheKeysOfOptionsGiven() {
    cli.parseArgs("--port", "0", "--base", "models/base", "--set", "demo.x=1");
    Map<String, String> overrides = demo.options.overrides("demo.bootstrap.servers");
    demo.http.putInto(overrides, "demo.port");
    demo.model.putInto(overrides, "demo.adapter.store", "demo.base.dir");

    assertThat(overrides)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("demo.x", "1", "demo.port", "0", "demo.base.dir", "models/base"));
  }

  @Test
  void shouldNameTheKeysTheOptionsSetInTheHelp() {
    String usage = cli.getUsageMessage();

    assertThat(usage)
        .contains("sets demo.port")
        .contains("sets demo.adapter.store")
        .contains("sets demo.base.dir");
  }

  @Test
  void shouldIgnoreAnOptionNotGiven() {
    Map<String, String> overrides = new LinkedHashMap<>();

    ServiceOptions.putGiven(overrides, "demo.device", null);

    assertThat(overrides).isEmpty();
  }
}
