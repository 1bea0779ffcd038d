package io.sluice.evaluator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.Safetensors;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load check and serving lint of a candidate adapter. The lint reads adapter_config.json the
 * way PEFT and vLLM do and reports what would stop them; the load check proves the adapter fits
 * this base (keys, shapes, finite values, base weights hash) and that it changes the base's
 * outputs, so an adapter that silently does nothing is never promoted.
 */
public final class AdapterInspector {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Llama projections vLLM's and LoRAX's Llama implementations accept LoRA on. */
  static final Set<String> SERVABLE_MODULES =
      Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  static final String LINEAGE_FILE = "lineage.json";

  private AdapterInspector() {}

  /**
   * What inspection found.
   *
   * @param adapter the loaded adapter when scoring makes sense (caller closes it), else null
   */
  public record Inspection(List<GateReason> findings, LoraAdapter adapter) {}

  /**
   * @param claimedBaseSha256 the base hash the candidate event names (null when it names none);
   *     lineage.json's is checked too
   * @param probes prompts the adapter must change the base's logits on
   */
  public static Inspection inspect(
      Path dir,
      LanguageModel lm,
      String baseSha256,
      String claimedBaseSha256,
      int maxRank,
      double noEffectTolerance,
      List<long[]> probes) {
    List<GateReason> findings = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      findings.add(GateReason.of(ReasonCode.ADAPTER_MISSING, "no adapter directory at " + dir));
      return new Inspection(findings, null);
    }
    for (String file : List.of(LoraAdapter.CONFIG_FILE, LoraAdapter.WEIGHTS_FILE)) {
      if (!Files.isRegularFile(dir.resolve(file))) {
        findings.add(
            GateReason.of(ReasonCode.ADAPTER_MISSING, "adapter at " + dir + " has no " + file));
      }
    }
    if (!findings.isEmpty()) {
      return new Inspection(findings, null);
    }
    JsonNode config;
    try {
      config = JSON.readTree(dir.resolve(LoraAdapter.CONFIG_FILE).toFile());
      if (config == null || !config.isObject()) {
        throw new IOException("not a JSON object");
      }
    } catch (IOException e) {
      findings.add(
          GateReason.of(
              ReasonCode.CORRUPT_ADAPTER,
              LoraAdapter.CONFIG_FILE + " is unreadable: " + e.getMessage()));
      return new Inspection(findings, null);
    }
    lint(config, maxRank).forEach(m -> findings.add(GateReason.of(ReasonCode.SERVING_LINT, m)));

    String mismatch = baseMismatch(dir, baseSha256, claimedBaseSha256);
    if (mismatch != null) {
      findings.add(GateReason.of(ReasonCode.BASE_MISMATCH, mismatch));
      return new Inspection(findings, null);
    }
    try {
      Safetensors.read(dir.resolve(LoraAdapter.WEIGHTS_FILE));
    } catch (IOException | RuntimeException e) {
      findings.add(
          GateReason.of(
              ReasonCode.CORRUPT_ADAPTER,
              LoraAdapter.WEIGHTS_FILE + " is unreadable: " + e.getMessage()));
      return new Inspection(findings, null);
    }
    LoraAdapter adapter;
    try {
      adapter = LoraAdapter.load(lm.model(), dir);
    } catch (IOException | RuntimeException e) {
      findings.add(GateReason.of(ReasonCode.LOAD_CHECK_FAILED, e.getMessage()));
      return new Inspection(findings, null);
    }
    try {
      String nonFinite = firstNonFinite(adapter);
      if (nonFinite != null) {
        findings.add(
            GateReason.of(
                ReasonCode.LOAD_CHECK_FAILED,
                "adapter tensor '" + nonFinite + "' holds NaN or infinite values"));
        adapter.close();
        return new Inspection(findings, null);
      }
      double change = largestLogitChange(lm, adapter, probes);
      if (!(change > noEffectTolerance)) {
        findings.add(
            new GateReason(
                ReasonCode.NO_EFFECT,
                String.format(
                    Locale.ROOT,
                    "the adapter changes no logit by more than %.2e on %d probe prompts (largest change %.2e)",
                    noEffectTolerance,
                    probes.size(),
                    change),
                "probe_logit_change",
                null,
                change,
                null,
                noEffectTolerance,
                null,
                null));
        adapter.close();
        return new Inspection(findings, null);
      }
    } catch (RuntimeException e) {
      adapter.close();
      throw e;
    }
    return new Inspection(findings, adapter);
  }

  /** PEFT/vLLM loading rules; every problem found, not just the first. */
  static List<String> lint(JsonNode config, int maxRank) {
    List<String> problems = new ArrayList<>();
    if (!"LORA".equals(config.path("peft_type").asText())) {
      problems.add("peft_type must be LORA but is " + config.get("peft_type"));
    }
    JsonNode targets = config.path("target_modules");
    if (!targets.isArray() || targets.isEmpty()) {
      problems.add(
          "target_modules must be a non-empty list of module names (a regex string is not servable) but is "
              + targets);
    } else {
      targets.forEach(
          t -> {
            if (!SERVABLE_MODULES.contains(t.asText())) {
              problems.add(
                  "target module '"
                      + t.asText()
                      + "' is not one vLLM serves LoRA on "
                      + SERVABLE_MODULES);
            }
          });
    }
    JsonNode saved = config.get("modules_to_save");
    if (saved != null && !saved.isNull() && !(saved.isArray() && saved.isEmpty())) {
      problems.add("modules_to_save " + saved + " is set; vLLM and LoRAX serve LoRA weights only");
    }
    int r = config.path("r").asInt(-1);
    if (!config.path("r").canConvertToInt() || r < 1) {
      problems.add("r must be a positive integer but is " + config.get("r"));
    } else if (r > maxRank) {
      problems.add(
          "rank "
              + r
              + " exceeds the serving maximum "
              + maxRank
              + " (evaluator.serving.max.rank)");
    }
    if (!config.path("bias").asText("none").equals("none")) {
      problems.add("bias must be \"none\" but is " + config.get("bias"));
    }
    if (config.path("use_dora").asBoolean(false)) {
      problems.add("use_dora is set; DoRA adapters are not servable by vLLM");
    }
    if (config.path("fan_in_fan_out").asBoolean(false)) {
      problems.add("fan_in_fan_out is set; Llama projections are not Conv1D");
    }
    String base = config.path("base_model_name_or_path").asText("");
    if (base.isBlank()) {
      problems.add("base_model_name_or_path is missing");
    } else if (isLocalPath(base)) {
      problems.add(
          "base_model_name_or_path '" + base + "' is a machine-local path, not a model name");
    }
    return problems;
  }

  static boolean isLocalPath(String value) {
    return value.startsWith("/")
        || value.startsWith("./")
        || value.startsWith("../")
        || value.startsWith("~")
        || value.contains("\\")
        || value.matches("^[A-Za-z]:.*")
        || value.equals(".")
        || value.startsWith("file:");
  }

  private static String baseMismatch(Path dir, String baseSha256, String claimed) {
    String lineageSha = null;
    Path lineage = dir.resolve(LINEAGE_FILE);
    if (Files.isRegularFile(lineage)) {
      try {
        String value = JSON.readTree(lineage.toFile()).path("base_model").path("sha256").asText("");
        lineageSha = value.isBlank() ? null : value;
      } catch (IOException e) {
        return LINEAGE_FILE
            + " is unreadable, so the adapter's base cannot be confirmed: "
            + e.getMessage();
      }
    }
    if (claimed == null && lineageSha == null) {
      return "the adapter records no base sha256 (neither the candidate event nor "
          + LINEAGE_FILE
          + "), so it cannot be confirmed to fit base "
          + baseSha256;
    }
    for (String sha : new String[] {claimed, lineageSha}) {
      if (sha != null && !sha.equalsIgnoreCase(baseSha256)) {
        return "the adapter was trained on base weights "
            + sha
            + " but the loaded base is "
            + baseSha256;
      }
    }
    return null;
  }

  private static String firstNonFinite(LoraAdapter adapter) {
    for (Map.Entry<String, NDArray> e : adapter.parameters().entrySet()) {
      for (float f : e.getValue().toType(DataType.FLOAT32, false).toFloatArray()) {
        if (!Float.isFinite(f)) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  /** Largest |logit(adapter) − logit(base)| over every position of the probe prompts. */
  static double largestLogitChange(LanguageModel lm, LoraAdapter adapter, List<long[]> probes) {
    double largest = 0;
    for (long[] probe : probes) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray ids = lm.model().manager().create(probe, new Shape(1, probe.length));
        NDArray base = lm.model().forward(ids, null, Adaptation.NONE, false);
        NDArray adapted = lm.model().forward(ids, null, adapter, false);
        largest =
            Math.max(
                largest, adapted.sub(base).abs().max().toType(DataType.FLOAT32, false).getFloat());
      }
    }
    return largest;
  }
}
