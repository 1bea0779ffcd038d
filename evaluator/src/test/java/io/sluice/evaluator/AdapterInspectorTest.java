package io.sluice.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.lora.LoraAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterInspectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static AdapterInspector.Inspection inspect(Path adapter, String claimedSha) {
    List<long[]> probes =
        List.of(Fixtures.lm().tokenizer().encodePrompt(List.of(ChatTurn.user("What is 7+8?"))));
    AdapterInspector.Inspection inspection =
        AdapterInspector.inspect(
            adapter, Fixtures.lm(), Fixtures.identity().sha256(), claimedSha, 64, 1e-6, probes);
    if (inspection.adapter() != null) {
      inspection.adapter().close();
    }
    return inspection;
  }

  private static List<ReasonCode> codes(AdapterInspector.Inspection inspection) {
    return inspection.findings().stream().map(GateReason::code).toList();
  }

  private static void editConfig(Path adapter, java.util.function.Consumer<ObjectNode> edit)
      throws Exception {
    Path file = adapter.resolve(LoraAdapter.CONFIG_FILE);
    ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(config);
    Files.writeString(file, JSON.writeValueAsString(config));
  }

  @Test
  void shouldPassAServableAdapterThatChangesOutputs() throws Exception {
    AdapterInspector.Inspection inspection =
        inspect(Fixtures.randomAdapter(dir.resolve("a")), Fixtures.identity().sha256());
    assertThat(inspection.findings()).isEmpty();
    assertThat(inspection.adapter()).isNotNull();
  }

  @Test
  void shouldFindAnAllZeroLoraBHasNoEffect() throws Exception {
    AdapterInspector.Inspection inspection = inspect(Fixtures.zeroAdapter(dir.resolve("z")), null);
    assertThat(codes(inspection)).containsExactly(ReasonCode.NO_EFFECT);
    assertThat(inspection.adapter()).isNull();
    assertThat(inspection.findings().get(0).to()).isEqualTo(0.0);
  }

  @Test
  void shouldRejectCorruptWeights() throws Exception {
    Path adapter = Fixtures.randomAdapter(dir.resolve("c"));
    Files.write(
        adapter.resolve(LoraAdapter.WEIGHTS_FILE),
        new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    assertThat(codes(inspect(adapter, null))).containsExactly(ReasonCode.CORRUPT_ADAPTER);
  }

  @Test
  void shouldRejectAMissingAdapter() {
    assertThat(codes(inspect(dir.resolve("nothing-here"), null)))
        .containsExactly(ReasonCode.ADAPTER_MISSING);
  }

  @Test
  void shouldRejectAnAdapterForOtherBaseWeights() throws Exception {
    Path adapter = Fixtures.randomAdapter(dir.resolve("w"));
    AdapterInspector.Inspection inspection = inspect(adapter, "ab".repeat(32));
    assertThat(codes(inspection)).containsExactly(ReasonCode.BASE_MISMATCH);
    assertThat(inspection.findings().get(0).message())
        .contains("ab".repeat(32), Fixtures.identity().sha256());
    // lineage.json alone is checked too
    Fixtures.writeLineage(adapter, "cd".repeat(32));
    assertThat(codes(inspect(adapter, null))).containsExactly(ReasonCode.BASE_MISMATCH);
  }

  @Test
  void shouldRejectWeightsOfTheWrongShapeOrNonFinite() throws Exception {
    Path adapter = Fixtures.randomAdapter(dir.resolve("s"));
    editConfig(adapter, c -> c.put("r", 8)); // the tensors are r=16
    AdapterInspector.Inspection wrongShape = inspect(adapter, null);
    assertThat(codes(wrongShape)).containsExactly(ReasonCode.LOAD_CHECK_FAILED);
    assertThat(wrongShape.findings().get(0).message()).contains("shape");

    Path nan = dir.resolve("n");
    try (LoraAdapter loaded =
        LoraAdapter.load(Fixtures.lm().model(), Fixtures.randomAdapter(dir.resolve("n0")))) {
      var b =
          loaded.parameters().get("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight");
      float[] values = b.toFloatArray();
      values[3] = Float.NaN;
      b.set(values);
      loaded.save(nan, "sluice-tiny");
    }
    Fixtures.writeLineage(nan, Fixtures.identity().sha256());
    AdapterInspector.Inspection notFinite = inspect(nan, null);
    assertThat(codes(notFinite)).containsExactly(ReasonCode.LOAD_CHECK_FAILED);
    assertThat(notFinite.findings().get(0).message()).contains("q_proj.lora_B", "NaN");
  }

  @Test
  void shouldLintModulesToSaveLocalBasePathsAndRank() throws Exception {
    Path adapter = Fixtures.randomAdapter(dir.resolve("l"));
    editConfig(adapter, c -> c.put("base_model_name_or_path", "/home/me/models/tiny"));
    AdapterInspector.Inspection local = inspect(adapter, null);
    assertThat(codes(local)).containsExactly(ReasonCode.SERVING_LINT);
    assertThat(local.findings().get(0).message()).contains("machine-local path");

    editConfig(
        adapter,
        c -> {
          c.put("base_model_name_or_path", "sluice-tiny");
          c.putArray("modules_to_save").add("lm_head");
        });
    AdapterInspector.Inspection saved = inspect(adapter, null);
    assertThat(codes(saved)).contains(ReasonCode.SERVING_LINT);
    assertThat(saved.findings().get(0).message()).contains("modules_to_save");

    assertThat(
            AdapterInspector.lint(
                JSON.readTree(
                    "{\"peft_type\":\"LORA\",\"r\":128,\"target_modules\":[\"q_proj\",\"embed_tokens\"],\"base_model_name_or_path\":\"x\"}"),
                64))
        .hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("rank 128 exceeds the serving maximum 64"))
        .anySatisfy(m -> assertThat(m).contains("embed_tokens"));
  }
}
