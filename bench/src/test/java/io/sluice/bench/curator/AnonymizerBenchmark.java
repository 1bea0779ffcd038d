package io.sluice.bench.curator;

import io.sluice.curator.pii.PiiAnonymizer;
import io.sluice.curator.pii.PiiConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scan rate of the PII anonymizer on one core, in bytes of UTF-8 input per second (the {@code
 * bytes} and {@code cpuBytes} secondary results, see {@link Scanned}). Each operation anonymizes a
 * batch of support-chat records, one session per record, as the curator does. {@code realistic}:
 * most sentences carry no PII but plenty of lookalikes (prices, dates, versions, ids), and about
 * one in five carries a PII value; {@code dense}: every sentence carries PII; {@code prose}: plain
 * sentences only (the scanner's upper bound).
 *
 * <p>Run: see docs/benchmarks.md, section "PII anonymizer".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AnonymizerBenchmark {

  private static final int RECORDS = 2_000;

  private static final String[] PLAIN = {
    "The app crashes when I open the settings page after the latest update.",
    "I tried clearing the cache and reinstalling, but the sync still fails every morning.",
    "Could you check why my export takes forever? It used to finish in a few seconds.",
    "Thanks for the quick reply, the workaround helped for now.",
    "The dashboard shows the wrong totals for last month and the chart is empty.",
    "We are on the Premium plan and the invoice does not match what the pricing page says.",
    "Since Monday the notifications arrive twice and some of them are in the wrong language.",
    "Is there a way to bulk edit the tags without opening every single item?",
    "this is a bug in the mobile app, the button does nothing when offline.",
    "Please escalate, our whole team is blocked and the deadline is close.",
  };

  private static final String[] LOOKALIKE = {
    "Order ORD-2024-%06d was charged $1,%03d.99 on 2024-03-%02d at 14:%02d.",
    "Seeing error E%04d and 0x8007%04X after upgrading to v2.%d.3.",
    "Ticket #%d is still open; the build %d.0.19045 failed on localhost:8080.",
    "SKU AB-%04d-XL shipped with tracking 1Z999AA1%08d, ETA 03/%02d/2024.",
    "Version 1.2.%d.4 fixed it but HTTP 503 came back after %d minutes.",
  };

  private static final String[] PII = {
    "You can reach me at jane.doe%d@example.com or (555) 123-%04d.",
    "My card 4111 1111 1111 1111 was charged twice, refund to DE89 3704 0044 0532 0130 00 please.",
    "The login came from 203.0.113.%d and then from 2001:db8::%x.",
    "Hi, my name is Maria Lopez and my SSN is 123-45-%04d for the tax form.",
    "I pasted password=hunter%d and ghp_16C7e42F292c6912E7710c838347Ae178B4a by mistake.",
    "Call me on +44 20 7946 %04d, thanks,\nJohn Smith",
  };

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * Bytes of input scanned, reported by JMH as rates: {@code bytes} per wall-clock second, and
   * {@code cpuBytes} per second of the benchmark thread's own CPU time. On a shared machine the
   * second is the per-core figure: each batch's bytes are scaled by wall time over CPU time, so
   * time the thread spent waiting for a core does not count against the scanner.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Scanned {
    public long bytes;
    public long cpuBytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      cpuBytes = 0;
    }
  }

  @Param({"realistic", "dense", "prose"})
  public String text;

  private PiiAnonymizer anonymizer;
  private List<String> records;
  private long batchBytes;

  @Setup
  public void setUp() {
    anonymizer = new PiiAnonymizer(PiiConfig.defaults());
    Random random = new Random(7);
    records = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      records.add(record(random));
    }
    batchBytes = records.stream().mapToLong(r -> r.getBytes(StandardCharsets.UTF_8).length).sum();
  }

  @Benchmark
  public void anonymize(Scanned scanned, Blackhole blackhole) {
    long wallStart = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    for (String record : records) {
      PiiAnonymizer.Session session = anonymizer.newSession();
      blackhole.consume(session.anonymize(record));
      blackhole.consume(session.counts());
    }
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    scanned.bytes += batchBytes;
    scanned.cpuBytes += cpu > 0 ? Math.round(batchBytes * (double) wall / cpu) : batchBytes;
  }

  private String record(Random random) {
    StringBuilder record = new StringBuilder(512);
    int sentences = 3 + random.nextInt(5);
    for (int s = 0; s < sentences; s++) {
      String sentence =
          switch (text) {
            case "prose" -> PLAIN[random.nextInt(PLAIN.length)];
            case "dense" -> pii(random);
            default -> {
              int roll = random.nextInt(10);
              yield roll < 6
                  ? PLAIN[random.nextInt(PLAIN.length)]
                  : roll < 8 ? lookalike(random) : pii(random);
            }
          };
      record.append(sentence).append(' ');
    }
    return record.toString();
  }

  private static String lookalike(Random random) {
    String format = LOOKALIKE[random.nextInt(LOOKALIKE.length)];
    return String.format(
        format,
        random.nextInt(1_000_000),
        random.nextInt(1000),
        1 + random.nextInt(28),
        random.nextInt(60),
        random.nextInt(10_000));
  }

  private static String pii(Random random) {
    String format = PII[random.nextInt(PII.length)];
    return String.format(format, random.nextInt(10_000), random.nextInt(10_000));
  }
}
