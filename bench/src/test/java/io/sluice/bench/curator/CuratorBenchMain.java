package io.sluice.bench.curator;

import io.sluice.broker.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@link CuratorBenchmark} on the test broker, for profiling the curator without building the
 * app module: {@code java -cp <bench test class path> io.sluice.bench.curator.CuratorBenchMain
 * [events] [rounds] [threads]}. {@code sluice bench curator} is the same measurement on the
 * embedded broker.
 */
public final class CuratorBenchMain {

  private CuratorBenchMain() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Path state = Files.createTempDirectory("sluice-bench-curator");
    Path brokerDir = Files.createTempDirectory("sluice-bench-broker");
    try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, 0)) {
      CuratorBenchmark.Result result =
          CuratorBenchmark.run(broker.bootstrapServers(), events, rounds, threads, state);
      System.out.printf(
          "curator rounds: %s%npass-through rounds: %s%nratios: %s%nratio (median): %.2f%n",
          result.curatorRounds(), result.passThroughRounds(), result.ratios(), result.ratio());
    }
  }
}
