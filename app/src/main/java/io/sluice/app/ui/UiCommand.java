package io.sluice.app.ui;

import io.sluice.app.HttpPortOption;
import io.sluice.app.ServiceOptions;
import io.sluice.ui.UiConfig;
import io.sluice.ui.UiServer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice ui}: serves the read-only registry pages until the process is stopped. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description =
        "Serve read-only registry pages: tracks, champions, decisions and evaluation reports.")
public final class UiCommand implements Callable<Integer> {

  @Mixin ServiceOptions options;

  @Mixin HttpPortOption http;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> overrides = options.overrides(UiConfig.BOOTSTRAP_SERVERS_CONFIG);
    http.putInto(overrides, UiConfig.PORT_CONFIG);
    UiConfig config = UiConfig.load(options.configFile(), System.getenv(), overrides);
    UiServer server = UiServer.start(config);
    System.out.printf("Registry UI   http://localhost:%d/%n", server.port());
    options.closeOnShutdown(server::close).await();
    return 0;
  }
}
