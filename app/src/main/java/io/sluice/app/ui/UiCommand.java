package io.sluice.app.ui;

import io.sluice.app.ServiceOptions;
import io.sluice.ui.UiConfig;
import io.sluice.ui.UiServer;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice ui}: serves the read-only registry pages until the process is stopped. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description =
        "Serve read-only registry pages: tracks, champions, decisions and evaluation reports.")
public final class UiCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "HTTP port (default 8090; 0 picks one).")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    UiConfig config = UiConfig.load(options.configFile(), System.getenv(), overrides());
    CountDownLatch stopped = new CountDownLatch(1);
    UiServer server = UiServer.start(config);
    System.out.printf("Registry UI   http://localhost:%d/%n", server.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "ui-shutdown"));
    stopped.await();
    return 0;
  }

  private Map<String, String> overrides() {
    Map<String, String> overrides = options.overrides(UiConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (port != null) {
      overrides.put(UiConfig.PORT_CONFIG, Integer.toString(port));
    }
    return overrides;
  }
}
