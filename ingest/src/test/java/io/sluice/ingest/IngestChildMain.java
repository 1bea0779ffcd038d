package io.sluice.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest service as a separate process, for {@link IngestKillTest}: that test kills it with
 * {@code destroyForcibly()} (SIGKILL), which no shutdown hook, flush or transaction abort survives.
 *
 * <p>Arguments: {@code KEY=VALUE} ingest settings. Prints {@value #LISTENING} and the port once it
 * serves requests.
 */
public final class IngestChildMain {

  static final String LISTENING = "INGEST-CHILD-LISTENING ";

  private IngestChildMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      settings.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    IngestServer server =
        IngestServer.start(IngestConfig.load(Optional.empty(), Map.of(), settings));
    System.out.println(LISTENING + server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until killed
  }
}
