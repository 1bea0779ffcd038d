package io.sluice.model.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.LlamaModel;
import io.sluice.model.TestModels;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.io.Safetensors;
import io.sluice.model.io.TensorData;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.train.AdamW;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAdapterTest {
  private static final long[][] TOKENS = {{3, 14, 15, 92, 65, 35}, {2, 71, 82, 81, 82, 8}};
  @TempDir Path dir;

  @Test
  void freshAdapterLeavesLogitsExactlyUnchanged() {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 1);
        NDManager m = model.manager().newSubManager()) {
      NDArray before = model.forward(TestModels.ids(m, TOKENS), null, Adaptation.NONE, false);
      try (LoraAdapter adapter = LoraAdapter.create(model, LoraConfig.defaults(), 7)) {
        NDArray after = model.forward(TestModels.ids(m, TOKENS), null, adapter, false);
        assertThat(after.toFloatArray()).containsExactly(before.toFloatArray());
        assertThat(adapter.parameters()).hasSize(2 * 7 * 2);
      }
    }
  }

  @Test
  void oneStepChangesOnlyLoraParametersAndTheBaseStaysTheBase() {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 2);
        NDManager m = model.manager().newSubManager()) {
      Map<String, float[]> baseBefore = snapshot(model.parameters());
      NDArray baseLogits = model.forward(TestModels.ids(m, TOKENS), null, Adaptation.NONE, false);
      try (LoraAdapter adapter =
          LoraAdapter.create(model, new LoraConfig(4, 8, 0, LoraConfig.ALL_LINEAR, false), 3)) {
        model.setBaseTrainable(false);
        adapter.setTrainable(true);
        Map<String, float[]> loraBefore = snapshot(adapter.parameters());
        AdamW optimizer = AdamW.standard(adapter.parameters(), 0);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(TestModels.ids(m, TOKENS), null, adapter, true);
          collector.backward(logits.logSoftmax(-1).get(":, :, 65").mean().neg());
        }
        optimizer.step(1e-2, 1.0);
        assertThat(snapshot(model.parameters()))
            .allSatisfy((k, v) -> assertThat(v).containsExactly(baseBefore.get(k)));
        Map<String, float[]> loraAfter = snapshot(adapter.parameters());
        // B starts at zero and gets a gradient; A's gradient is zero at step one (B = 0).
        assertThat(
                loraAfter.keySet().stream()
                    .filter(k -> k.endsWith("lora_B.weight"))
                    .allMatch(k -> !java.util.Arrays.equals(loraAfter.get(k), loraBefore.get(k))))
            .isTrue();
        NDArray adapted = model.forward(TestModels.ids(m, TOKENS), null, adapter, false);
        assertThat(TestModels.maxAbsDiff(adapted, baseLogits)).isGreaterThan(1e-4f);
        assertThat(
                model
                    .forward(TestModels.ids(m, TOKENS), null, Adaptation.NONE, false)
                    .toFloatArray())
            .containsExactly(baseLogits.toFloatArray());
      }
    }
  }

  @Test
  void twoAdaptersShareOneBaseWithoutSeeingEachOther() throws Exception {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 9);
        NDManager m = model.manager().newSubManager();
        LoraAdapter first =
            LoraAdapter.create(model, new LoraConfig(4, 8, 0, LoraConfig.ALL_LINEAR, false), 1);
        LoraAdapter second =
            LoraAdapter.create(model, new LoraConfig(4, 8, 0, List.of("q_proj"), false), 2)) {
      randomiseB(first, 3);
      randomiseB(second, 4);
      float[] firstAlone =
          model.forward(TestModels.ids(m, TOKENS), null, first, false).toFloatArray();
      float[] secondAlone =
          model.forward(TestModels.ids(m, TOKENS), null, second, false).toFloatArray();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 5; round++) {
          var a =
              pool.submit(
                  () ->
                      model.forward(TestModels.ids(m, TOKENS), null, first, false).toFloatArray());
          var b =
              pool.submit(
                  () ->
                      model.forward(TestModels.ids(m, TOKENS), null, second, false).toFloatArray());
          assertThat(a.get()).containsExactly(firstAlone);
          assertThat(b.get()).containsExactly(secondAlone);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(firstAlone).isNotEqualTo(secondAlone);
    }
  }

  @Test
  void mergedWeightsGiveTheAdaptersLogitsAndLeaveTheBaseAlone() {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 8);
        NDManager m = model.manager().newSubManager();
        LoraAdapter adapter =
            LoraAdapter.create(model, new LoraConfig(4, 16, 0, LoraConfig.ALL_LINEAR, true), 2)) {
      randomiseB(adapter, 5);
      Map<String, float[]> base = snapshot(model.parameters());
      NDArray adapted = model.forward(TestModels.ids(m, TOKENS), null, adapter, false);
      try (LoraAdapter.Merged merged = adapter.merged()) {
        assertThat(
                TestModels.maxAbsDiff(
                    model.forward(TestModels.ids(m, TOKENS), null, merged, false), adapted))
            .isLessThan(1e-5f);
      }
      assertThat(snapshot(model.parameters()))
          .allSatisfy((k, v) -> assertThat(v).containsExactly(base.get(k)));
      assertThat(model.forward(TestModels.ids(m, TOKENS), null, adapter, false).toFloatArray())
          .containsExactly(adapted.toFloatArray());
    }
  }

  @Test
  void aCopyTrainsApartFromItsSource() {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 10);
        LoraAdapter source =
            LoraAdapter.create(model, new LoraConfig(4, 8, 0, LoraConfig.ALL_LINEAR, false), 2);
        LoraAdapter copy = source.copy(3)) {
      randomiseB(source, 5);
      Map<String, float[]> before = snapshot(source.parameters());
      randomiseB(copy, 6);
      assertThat(snapshot(source.parameters()))
          .allSatisfy((k, v) -> assertThat(v).containsExactly(before.get(k)));
      assertThat(copy.parameters().keySet())
          .containsExactlyElementsOf(source.parameters().keySet());
    }
  }

  @Test
  void peftKeysAndShapesForATwoLayerModel() throws Exception {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 4);
        LoraAdapter adapter =
            LoraAdapter.create(
                model, new LoraConfig(8, 16, 0.05, LoraConfig.ALL_LINEAR, false), 1)) {
      adapter.save(dir, "base/dir");
      Map<String, TensorData> tensors = Safetensors.read(dir.resolve("adapter_model.safetensors"));
      assertThat(tensors).hasSize(2 * 7 * 2);
      assertThat(
              tensors.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape())
          .containsExactly(8, 32);
      assertThat(
              tensors.get("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").shape())
          .containsExactly(32, 8);
      assertThat(
              tensors.get("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight").shape())
          .containsExactly(16, 8);
      assertThat(tensors.get("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight").shape())
          .containsExactly(8, 64);
      assertThat(tensors.get("base_model.model.model.layers.1.mlp.gate_proj.lora_B.weight").shape())
          .containsExactly(64, 8);
      JsonNode config = new ObjectMapper().readTree(dir.resolve("adapter_config.json").toFile());
      assertThat(config.path("peft_type").asText()).isEqualTo("LORA");
      assertThat(config.path("task_type").asText()).isEqualTo("CAUSAL_LM");
      assertThat(config.path("r").asInt()).isEqualTo(8);
      assertThat(config.path("lora_alpha").asDouble()).isEqualTo(16);
      assertThat(config.path("lora_dropout").asDouble()).isEqualTo(0.05);
      assertThat(config.path("bias").asText()).isEqualTo("none");
      assertThat(config.path("use_rslora").asBoolean()).isFalse();
      assertThat(config.path("base_model_name_or_path").asText()).isEqualTo("base/dir");
      assertThat(config.path("target_modules")).hasSize(7);
    }
  }

  @Test
  void savedAdapterLoadsBackToTheSameLogits() throws Exception {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 5);
        NDManager m = model.manager().newSubManager()) {
      float[] expected;
      try (LoraAdapter adapter =
          LoraAdapter.create(
              model, new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj"), false), 2)) {
        randomiseB(adapter, 3);
        expected = model.forward(TestModels.ids(m, TOKENS), null, adapter, false).toFloatArray();
        adapter.save(dir, "x");
      }
      try (LoraAdapter loaded = LoraAdapter.load(model, dir)) {
        assertThat(loaded.config().targetModules()).containsExactly("q_proj", "v_proj");
        assertThat(model.forward(TestModels.ids(m, TOKENS), null, loaded, false).toFloatArray())
            .containsExactly(expected);
      }
    }
  }

  @Test
  void adapterKeyMatchingNoModuleFails() throws Exception {
    Map<String, TensorData> tensors = savedAdapter();
    tensors.put(
        "base_model.model.model.layers.9.self_attn.q_proj.lora_A.weight",
        new TensorData(new long[] {4, 32}, new float[128]));
    Safetensors.write(
        dir.resolve("adapter_model.safetensors"), tensors, Safetensors.DType.F32, Map.of());
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 6)) {
      assertThatThrownBy(() -> LoraAdapter.load(model, dir))
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(
              "'base_model.model.model.layers.9.self_attn.q_proj.lora_A.weight' matches no module");
    }
  }

  @Test
  void adapterShapeThatDoesNotFitTheBaseFails() throws Exception {
    Map<String, TensorData> tensors = savedAdapter();
    tensors.put(
        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
        new TensorData(new long[] {4, 48}, new float[192]));
    Safetensors.write(
        dir.resolve("adapter_model.safetensors"), tensors, Safetensors.DType.F32, Map.of());
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 6)) {
      assertThatThrownBy(() -> LoraAdapter.load(model, dir))
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("has shape [4, 48] but r=4 on this base needs (4, 32)");
    }
  }

  @Test
  void adapterMissingHalfFails() throws Exception {
    Map<String, TensorData> tensors = savedAdapter();
    tensors.remove("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight");
    Safetensors.write(
        dir.resolve("adapter_model.safetensors"), tensors, Safetensors.DType.F32, Map.of());
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 6)) {
      assertThatThrownBy(() -> LoraAdapter.load(model, dir))
          .hasMessageContaining(
              "missing 'base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight'");
    }
  }

  @Test
  void nonLoraAdapterConfigFails() throws Exception {
    savedAdapter();
    Files.writeString(
        dir.resolve("adapter_config.json"),
        "{\"peft_type\": \"IA3\", \"target_modules\": [\"q_proj\"], \"r\": 4}");
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 6)) {
      assertThatThrownBy(() -> LoraAdapter.load(model, dir))
          .hasMessageContaining("peft_type must be LORA");
    }
  }

  private Map<String, TensorData> savedAdapter() throws Exception {
    try (LlamaModel model = TestModels.random(TestModels.tiny(), 6);
        LoraAdapter adapter =
            LoraAdapter.create(model, new LoraConfig(4, 8, 0, List.of("q_proj"), false), 1)) {
      adapter.save(dir, "x");
    }
    return new HashMap<>(Safetensors.read(dir.resolve("adapter_model.safetensors")));
  }

  private static void randomiseB(LoraAdapter adapter, long seed) {
    java.util.Random random = new java.util.Random(seed);
    adapter
        .parameters()
        .forEach(
            (k, v) -> {
              if (k.endsWith("lora_B.weight")) {
                float[] values = new float[Math.toIntExact(v.size())];
                for (int i = 0; i < values.length; i++) {
                  values[i] = (float) random.nextGaussian() * 0.05f;
                }
                v.set(values);
              }
            });
  }

  private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }
}
