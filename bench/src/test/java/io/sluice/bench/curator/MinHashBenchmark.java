package io.sluice.bench.curator;

import io.sluice.curator.dedup.ContentNormalizer;
import io.sluice.curator.dedup.DedupConfig;
import io.sluice.curator.dedup.Deduplicator;
import io.sluice.curator.dedup.MapDedupStore;
import io.sluice.curator.dedup.MinHasher;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * MinHash signature rate and full dedup check rate (exact lookup + signature + LSH bucket lookups +
 * insert + eviction) on a chat-sized text of 80 words, with the default 120 hashes in 20 bands. The
 * store is an in-memory sorted map, so this isolates the algorithm from RocksDB.
 *
 * <p>Run: {@code cd curator && mvn -q -o test-compile && java -cp
 * "target/test-classes:target/classes:$(cat cp.txt)" io.sluice.bench.curator.MinHashBenchmark} (see
 * docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MinHashBenchmark {

  private final MinHasher hasher = new MinHasher(3, 120, 20);
  private String[] texts;
  private Deduplicator deduplicator;
  private long sequence;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(7);
    texts = new String[1024];
    for (int t = 0; t < texts.length; t++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 80; w++) {
        text.append("word").append(random.nextInt(3_000)).append(' ');
      }
      texts[t] = ContentNormalizer.normalize(text.toString());
    }
    // A cap of 50,000 keeps the store at a realistic, bounded size during the run.
    deduplicator =
        new Deduplicator(
            new DedupConfig(3, 120, 20, 0.8, Long.MAX_VALUE / 4, 50_000, 200), new MapDedupStore());
  }

  @Benchmark
  public int[] signature() {
    return hasher.signature(texts[(int) (sequence++ & 1023)]);
  }

  @Benchmark
  public boolean dedupCheckAndInsert() {
    long n = sequence++;
    String text = texts[(int) (n & 1023)] + " n" + n; // unique, so every call also inserts
    return deduplicator
        .admit("acme/support/SFT", "id" + n, Long.toHexString(n), text, n)
        .isPresent();
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(MinHashBenchmark.class.getSimpleName()).build()).run();
  }
}
