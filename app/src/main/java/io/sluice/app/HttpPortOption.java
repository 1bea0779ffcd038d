package io.sluice.app;

import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --port} of a service that serves HTTP itself: sets the service's {@code .port} key. */
public final class HttpPortOption {

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "HTTP port; sets ${COMMAND-NAME}.port (0 picks one).")
  Integer port;

  /** Sets {@code portKey} when {@code --port} was given. */
  public void putInto(Map<String, String> overrides, String portKey) {
    ServiceOptions.putGiven(overrides, portKey, port);
  }
}
