package io.sluice.bench.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.sluice.model.LlamaConfig;
import io.sluice.model.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainBenchTest {

  @Test
  void flopsPerTokenFollowTheDocumentedFormula() {
    LlamaConfig smol = TrainBench.Options.smolLm2Shape().config();
    long perLayer = 576L * 64 * (2 * 9 + 2 * 3) + 3L * 576 * 1536 + 2 * 576;
    long n = 30 * perLayer + 576 + 49152L * 576; // + final norm + tied LM head
    long attention = 12L * 30 * 256 * 9 * 64;
    assertThat(TrainBench.flopsPerToken(smol, 256)).isEqualTo(4 * n + attention);
    assertThat(n)
        .isBetween(134_000_000L, 135_000_000L); // SmolLM2-135M, embedding counted once as the head
  }

  @Test
  void smallRunReportsConsistentFigures() throws Exception {
    TrainBench.Options options =
        new TrainBench.Options(TestModels.tiny(), List.of(64), 2, 16, 1, 1, 1);
    TrainBench.Result r = TrainBench.run(options, Device.cpu(), false, 0);
    assertThat(r.tokensPerSecond()).isPositive();
    assertThat(r.matmulGflops()).isPositive();
    assertThat(r.achievedGflops())
        .isCloseTo(
            r.tokensPerSecond() * r.flopsPerToken() / 1e9,
            org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.ratio())
        .isCloseTo(
            r.achievedGflops() / r.matmulGflops(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.peakRssMb()).isPositive();
    assertThat(r.checkpointed().tokensPerSecond()).isPositive();
    assertThat(r.longSequence()).isNull();
  }

  @Test
  void eachConfigurationRunsInAChildProcessOfItsOwn() throws Exception {
    TrainBench.Options options =
        new TrainBench.Options(TestModels.tiny(), List.of(64), 2, 16, 0, 1, 1);
    TrainBench.Result r = TrainBench.run(options, Device.cpu(), true, 32);
    assertThat(r.peakRssMb()).isPositive();
    assertThat(r.checkpointed().peakRssMb()).isPositive();
    assertThat(r.longSequenceLength()).isEqualTo(32);
    assertThat(r.longSequence().tokensPerSecond()).isPositive();
    assertThat(r.longSequenceCheckpointed().secondsPerStep()).isPositive();
  }
}
