package io.sluice.bench.curator;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.curator.CuratorConfig;
import io.sluice.curator.CuratorService;
import io.sluice.curator.CuratorTopology;
import io.sluice.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.Topology;

/**
 * Where the whole process's CPU goes per input event, for the pass-through and the curator over the
 * same input: the same timed runs as {@link CuratorBenchmark}, with the CPU time of every thread of
 * this JVM (stream threads, their producers, the in-process broker, GC, JIT, RocksDB's native
 * threads) read from {@code /proc/self/task} when each run's clock starts and stops, grouped by
 * thread name. Linux only. {@code java -cp <bench test class path>
 * io.sluice.bench.curator.CuratorCpuMain [events] [rounds] [threads] [streams.key=value ...]}: the
 * properties after the first three arguments go to both topologies, to try settings.
 */
public final class CuratorCpuMain {

  private static final Path TASKS = Path.of("/proc/self/task");

  /** Linux reports thread CPU time in clock ticks of 10 ms. */
  private static final double MICROS_PER_TICK = 10_000;

  private CuratorCpuMain() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Map<String, Object> extra = new HashMap<>();
    for (int i = 3; i < args.length; i++) {
      int equals = args[i].indexOf('=');
      extra.put(args[i].substring(0, equals), args[i].substring(equals + 1));
    }
    Path state = Files.createTempDirectory("sluice-cpu-curator");
    Path brokerDir = Files.createTempDirectory("sluice-cpu-broker");
    try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      String servers = broker.bootstrapServers();
      admin
          .createTopics(
              List.of(
                  new NewTopic(
                          CuratorBenchmark.PASS_THROUGH_TOPIC,
                          Topics.EXAMPLES_CURATED.partitions(),
                          (short) 1)
                      .configs(Topics.EXAMPLES_CURATED.configs())))
          .all()
          .get();
      CuratorBenchmark.produce(servers, CuratorBenchmark.generate(events, 42));
      for (int round = 0; round <= rounds; round++) {
        String run = "c" + round + "-" + Long.toString(System.currentTimeMillis(), 36);
        for (boolean curator : new boolean[] {false, true}) {
          String name = (curator ? "bench-curator-" : "bench-passthrough-") + run;
          CuratorConfig config =
              CuratorBenchmark.config(servers, name, state.resolve(name), threads);
          Topology topology =
              curator ? CuratorTopology.build(config) : CuratorBenchmark.passThroughTopology();
          Map<String, Long> start = new HashMap<>();
          Map<String, Long> end = new HashMap<>();
          long[] wall = new long[2];
          double rate =
              CuratorBenchmark.time(
                  admin,
                  topology,
                  CuratorService.streamsProperties(config, extra),
                  events,
                  () -> snapshot(start, wall, 0),
                  () -> snapshot(end, wall, 1));
          print(round == 0 ? "warm-up" : "round " + round, curator, rate, start, end, wall);
        }
      }
    }
  }

  private static void snapshot(Map<String, Long> ticks, long[] wall, int at) {
    wall[at] = System.nanoTime();
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(task -> addTicks(task, ticks));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + TASKS, e);
    }
  }

  private static void addTicks(Path task, Map<String, Long> ticks) {
    String stat;
    try {
      stat = Files.readString(task.resolve("stat"));
    } catch (IOException e) {
      return; // the thread ended while listing
    }
    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
    ticks.merge(group(comm), used, Long::sum);
  }

  /** Native thread names are the Java names cut to 15 characters. */
  private static String group(String comm) {
    if (comm.startsWith("bench-curator") || comm.startsWith("bench-passthrou")) {
      return "stream thread";
    }
    if (comm.startsWith("kafka-producer")) {
      return "producer I/O";
    }
    if (comm.startsWith("data-plane") || comm.startsWith("kafka-request")) {
      return "broker requests";
    }
    if (comm.startsWith("GC ") || comm.startsWith("G1 ")) {
      return "GC";
    }
    if (comm.contains("Compiler")) {
      return "JIT";
    }
    if (comm.startsWith("rocksdb")) {
      return "RocksDB";
    }
    if (comm.startsWith("kafka-admin") || comm.startsWith("main")) {
      return "benchmark";
    }
    return "other (" + comm.replaceAll("[-#0-9]+$", "") + ")";
  }

  private static void print(
      String label,
      boolean curator,
      double rate,
      Map<String, Long> start,
      Map<String, Long> end,
      long[] wall) {
    double seconds = (wall[1] - wall[0]) / 1e9;
    double eventsInRun = rate * seconds;
    Map<String, Double> perEvent = new TreeMap<>();
    double total = 0;
    for (Map.Entry<String, Long> entry : end.entrySet()) {
      long used = entry.getValue() - start.getOrDefault(entry.getKey(), 0L);
      if (used > 0) {
        double micros = used * MICROS_PER_TICK / eventsInRun;
        perEvent.put(entry.getKey(), micros);
        total += micros;
      }
    }
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%s %s: %.0f events/s, wall %.1f µs/event, CPU %.1f µs/event (%.2f cores):",
                label,
                curator ? "curator" : "pass-through",
                rate,
                1e6 / rate,
                total,
                total * rate / 1e6));
    perEvent.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .filter(entry -> entry.getValue() >= 0.5)
        .forEach(e -> line.append(String.format(" %s %.1f;", e.getKey(), e.getValue())));
    System.out.println(line);
  }
}
