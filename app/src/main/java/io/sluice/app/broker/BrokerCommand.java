package io.sluice.app.broker;

import io.sluice.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice broker}: runs the embedded single-node Kafka until killed. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description =
        "Run a single-node Apache Kafka broker (KRaft) in this process, with Sluice's topics.")
public final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where Kafka keeps its data (default: ~/.sluice/broker).")
  Path dataDir = defaultDataDir();

  @Override
  public Integer call() throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start(dataDir, port);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
    System.out.println(
        "Kafka broker listening on " + broker.bootstrapServers() + " (data: " + dataDir + ")");
    System.out.println(
        "Connect services with --bootstrap-servers "
            + broker.bootstrapServers()
            + "; stop with Ctrl-C.");
    broker.awaitShutdown();
    return 0;
  }

  static Path defaultDataDir() {
    return Path.of(System.getProperty("user.home"), ".sluice", "broker");
  }
}
