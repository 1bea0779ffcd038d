package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.io.Safetensors;
import io.sluice.model.io.TensorData;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.layers.HiddenAct;
import io.sluice.model.layers.KvCache;
import io.sluice.model.layers.RopeScaling;
import io.sluice.model.layers.RotaryEmbedding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaModelTest {
  @TempDir Path dir;

  @Test
  void forwardHasLogitShapeAndHfParameterNames() {
    try (LlamaModel model = TestModels.random(TestModels.tinyUntied(), 1);
        NDManager m = model.manager().newSubManager()) {
      NDArray logits =
          model.forward(
              TestModels.ids(m, new long[][] {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}),
              null,
              Adaptation.NONE,
              false);
      assertThat(logits.getShape()).isEqualTo(new Shape(2, 5, TinyTokenizer.VOCAB_SIZE));
      Map<String, NDArray> params = model.parameters();
      assertThat(params.get("model.embed_tokens.weight").getShape()).isEqualTo(new Shape(259, 32));
      assertThat(params.get("model.layers.1.self_attn.q_proj.weight").getShape())
          .isEqualTo(new Shape(32, 32));
      assertThat(params.get("model.layers.1.self_attn.k_proj.weight").getShape())
          .isEqualTo(new Shape(16, 32));
      assertThat(params.get("model.layers.0.mlp.down_proj.weight").getShape())
          .isEqualTo(new Shape(32, 64));
      assertThat(params.get("model.layers.0.post_attention_layernorm.weight").getShape())
          .isEqualTo(new Shape(32));
      assertThat(params.get("lm_head.weight").getShape()).isEqualTo(new Shape(259, 32));
      assertThat(params).hasSize(1 + 2 * 9 + 1 + 1);
    }
  }

  @Test
  void ropeMatchesHandComputedRotation() {
    // head_dim 4, theta 100: dims (0,2) turn by p·1, dims (1,3) by p·100^(-1/2) = p/10.
    LlamaConfig config =
        new LlamaConfig(8, 16, 1, 2, 2, 4, 1e-5, 100, 8, 10, true, -1, java.util.List.of(), false);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      RotaryEmbedding rope = new RotaryEmbedding(config, m);
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 1, 4));
      float[] y = rope.apply(x, 3).toFloatArray();
      double a = 3.0;
      double b = 0.3;
      assertThat(y[0]).isCloseTo((float) (1 * Math.cos(a) - 3 * Math.sin(a)), within());
      assertThat(y[1]).isCloseTo((float) (2 * Math.cos(b) - 4 * Math.sin(b)), within());
      assertThat(y[2]).isCloseTo((float) (3 * Math.cos(a) + 1 * Math.sin(a)), within());
      assertThat(y[3]).isCloseTo((float) (4 * Math.cos(b) + 2 * Math.sin(b)), within());
      // position 0 is the identity
      assertThat(rope.apply(x, 0).toFloatArray()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void ropeTurnsEachPairByItsScaledFrequency() {
    // θ 500000, d 16, Llama 3.1 scaling: pair 4 is in the blended band, pair 6 fully scaled.
    RopeScaling scaling = RopeScaling.llama3(32, 1, 4, 8192);
    LlamaConfig config =
        new LlamaConfig(
                16, 16, 1, 1, 1, 16, 1e-5, 500000, 9000, 10, true, -1, java.util.List.of(), false)
            .withRope(500000, scaling);
    double[] expected = {
      1.0,
      0.19392274474868576,
      0.03760603093086393,
      0.0072926647372171085,
      0.00042955679655936815,
      8.570255489881478e-06,
      1.661967467795309e-06,
      3.2229329303788936e-07
    };
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      RotaryEmbedding rope = new RotaryEmbedding(config, m);
      int position = 8191;
      for (int pair : new int[] {1, 4, 6}) {
        float[] unit = new float[16];
        unit[pair] = 1;
        float[] y = rope.apply(m.create(unit, new Shape(1, 1, 1, 16)), position).toFloatArray();
        double angle = position * expected[pair];
        assertThat(y[pair]).isCloseTo((float) Math.cos(angle), within());
        assertThat(y[pair + 8]).isCloseTo((float) Math.sin(angle), within());
      }
    }
  }

  @Test
  void llamaAttentionBiasCheckpointCarriesAnOProjBias() throws Exception {
    LlamaConfig config =
        TestModels.tiny().withBiasesAndActivation(true, true, true, HiddenAct.GELU_TANH);
    try (LlamaModel model = TestModels.random(config, 4)) {
      assertThat(model.parameters())
          .containsKeys(
              "model.layers.0.self_attn.o_proj.bias",
              "model.layers.1.self_attn.q_proj.bias",
              "model.layers.0.mlp.down_proj.bias");
      model.save(dir);
      try (LlamaModel loaded = LlamaModel.load(dir, Device.cpu());
          NDManager m = model.manager().newSubManager()) {
        NDArray ids = TestModels.ids(m, new long[][] {{1, 2, 3, 4}});
        assertThat(
                loaded
                    .forward(ids, null, Adaptation.NONE, false)
                    .contentEquals(model.forward(ids, null, Adaptation.NONE, false)))
            .isTrue();
      }
    }
    // The same tensors under a Qwen2 config (no o_proj bias) are refused, not dropped.
    String json = Files.readString(dir.resolve("config.json"));
    Files.writeString(
        dir.resolve("config.json"),
        json.replace("\"attention_bias\" : true", "\"attention_bias\" : false"));
    assertThatThrownBy(() -> LlamaModel.load(dir, Device.cpu()))
        .hasMessageContaining("unexpected tensor");
  }

  private static org.assertj.core.data.Offset<Float> within() {
    return org.assertj.core.data.Offset.offset(1e-5f);
  }

  @Test
  void changingAFutureTokenNeverChangesEarlierLogits() {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 2);
        NDManager m = model.manager().newSubManager()) {
      NDArray a =
          model.forward(
              TestModels.ids(m, new long[][] {{10, 20, 30, 40, 50, 60}}),
              null,
              Adaptation.NONE,
              false);
      NDArray b =
          model.forward(
              TestModels.ids(m, new long[][] {{10, 20, 30, 41, 99, 7}}),
              null,
              Adaptation.NONE,
              false);
      NDIndex prefix = new NDIndex(":, 0:3");
      assertThat(a.get(prefix).contentEquals(b.get(prefix))).isTrue();
      assertThat(TestModels.maxAbsDiff(a.get(new NDIndex(":, 3")), b.get(new NDIndex(":, 3"))))
          .isGreaterThan(0f);
    }
  }

  @Test
  void kvCacheGenerationEqualsFullRecomputation() {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 3);
        NDManager m = model.manager().newSubManager()) {
      long[] tokens = {5, 17, 42, 8, 99, 100, 3, 250};
      NDArray full =
          model.forward(
              TestModels.ids(m, new long[][] {tokens}), null, Adaptation.NONE, false); // (1, 8, V)
      NDList steps = new NDList();
      try (KvCache cache = new KvCache(2)) {
        // a 3-token prefill, then one token at a time
        steps.add(
            model.forward(
                TestModels.ids(m, new long[][] {{5, 17, 42}}), cache, Adaptation.NONE, false));
        for (int i = 3; i < tokens.length; i++) {
          steps.add(
              model.forward(
                  TestModels.ids(m, new long[][] {{tokens[i]}}), cache, Adaptation.NONE, false));
        }
        assertThat(cache.length()).isEqualTo(8);
      }
      NDArray incremental = NDArrays.concat(steps, 1);
      assertThat(TestModels.maxAbsDiff(full, incremental)).isLessThan(1e-5f);
    }
  }

  @Test
  void saveThenLoadGivesIdenticalLogits() throws Exception {
    try (LlamaModel model = TestModels.random(TestModels.tinyUntied(), 4)) {
      model.save(dir);
      try (LlamaModel loaded = LlamaModel.load(dir, Device.cpu());
          NDManager m = model.manager().newSubManager()) {
        long[][] ids = {{1, 2, 3, 4}};
        NDArray a = model.forward(TestModels.ids(m, ids), null, Adaptation.NONE, false);
        NDArray b =
            loaded.forward(TestModels.ids(loaded.manager(), ids), null, Adaptation.NONE, false);
        assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());
        assertThat(loaded.config()).isEqualTo(model.config());
      }
    }
  }

  @Test
  void shardedCheckpointLoads() throws Exception {
    Map<String, TensorData> all;
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 5)) {
      model.save(dir);
      all = Safetensors.read(dir.resolve("model.safetensors"));
    }
    Files.delete(dir.resolve("model.safetensors"));
    Map<String, TensorData> first = new LinkedHashMap<>();
    Map<String, TensorData> second = new LinkedHashMap<>();
    StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
    int k = 0;
    for (Map.Entry<String, TensorData> e : all.entrySet()) {
      boolean one = k % 2 == 0;
      String shard = one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      (one ? first : second).put(e.getKey(), e.getValue());
      index
          .append(k > 0 ? "," : "")
          .append('"')
          .append(e.getKey())
          .append("\":\"")
          .append(shard)
          .append('"');
      k++;
    }
    Safetensors.write(
        dir.resolve("model-00001-of-00002.safetensors"), first, Safetensors.DType.BF16, Map.of());
    Safetensors.write(
        dir.resolve("model-00002-of-00002.safetensors"), second, Safetensors.DType.F16, Map.of());
    Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
    try (LlamaModel loaded = LlamaModel.load(dir, Device.cpu())) {
      assertThat(loaded.parameters()).hasSize(all.size());
    }
  }

  @Test
  void missingKeyIsNamed() throws Exception {
    Map<String, TensorData> tensors = savedTensors();
    tensors.remove("model.layers.1.mlp.up_proj.weight");
    Safetensors.write(dir.resolve("model.safetensors"), tensors, Safetensors.DType.F32, Map.of());
    assertThatThrownBy(() -> LlamaModel.load(dir, Device.cpu()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing tensor 'model.layers.1.mlp.up_proj.weight'");
  }

  @Test
  void wrongShapeIsReportedWithBothShapes() throws Exception {
    Map<String, TensorData> tensors = savedTensors();
    tensors.put(
        "model.layers.0.self_attn.k_proj.weight",
        new TensorData(new long[] {32, 32}, new float[32 * 32]));
    Safetensors.write(dir.resolve("model.safetensors"), tensors, Safetensors.DType.F32, Map.of());
    assertThatThrownBy(() -> LlamaModel.load(dir, Device.cpu()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(
            "'model.layers.0.self_attn.k_proj.weight' has shape [32, 32] but the config needs (16, 32)");
  }

  @Test
  void unexpectedKeyIsRefused() throws Exception {
    Map<String, TensorData> tensors = savedTensors();
    tensors.put(
        "model.layers.2.self_attn.q_proj.weight", new TensorData(new long[] {1}, new float[1]));
    Safetensors.write(dir.resolve("model.safetensors"), tensors, Safetensors.DType.F32, Map.of());
    assertThatThrownBy(() -> LlamaModel.load(dir, Device.cpu()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("unexpected tensor(s): [model.layers.2.self_attn.q_proj.weight]");
  }

  @Test
  void directoryWithoutWeightsFails() throws Exception {
    Files.writeString(dir.resolve("config.json"), TestModels.tiny().toJson());
    assertThatThrownBy(() -> LlamaModel.load(dir, Device.cpu()))
        .hasMessageContaining("has neither model.safetensors nor model.safetensors.index.json");
  }

  private Map<String, TensorData> savedTensors() throws Exception {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 6)) {
      model.save(dir);
    }
    return new HashMap<>(Safetensors.read(dir.resolve("model.safetensors")));
  }
}
