package io.sluice.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.BaseModelIdentity;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.model.lora.LoraConfig;
import io.sluice.model.skills.GeneralSkillsSuite;
import io.sluice.model.skills.Skill;
import io.sluice.model.skills.SkillItem;
import io.sluice.model.train.AdapterTrainer;
import io.sluice.model.train.TrainOptions;
import io.sluice.model.train.TrainedAdapter;
import io.sluice.model.train.TrainingExample;
import io.sluice.model.train.TrainingObjective;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.Objective;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The default model, synthetic support-chat data and adapters trained or written for tests. */
final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LanguageModel lm;
  private static BaseModelIdentity identity;

  private Fixtures() {}

  /** The bundled model, loaded once per test JVM and shared read-only, as services share it. */
  static synchronized LanguageModel lm() {
    if (lm == null) {
      try {
        lm = LanguageModel.load(DefaultBaseModel.path());
        identity = BaseModelIdentity.of(DefaultBaseModel.path(), null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lm;
  }

  static synchronized BaseModelIdentity identity() {
    lm();
    return identity;
  }

  private static final String[] PRODUCTS = {
    "router", "printer", "thermostat", "camera", "doorbell", "speaker", "tablet", "watch"
  };
  private static final String[][] ACTIONS = {
    {"reset it", "Reset"}, {"update the firmware", "Firmware"}, {"change the password", "Security"},
    {"turn on night mode", "Display"}, {"pair a phone", "Bluetooth"}, {"check the battery", "Power"}
  };

  /**
   * A support track: "How do I {action} on my {product}?" answered by a fixed sentence pattern.
   * Every fourth combination is held out, so the holdout asks about seen patterns in unseen pairs.
   */
  static List<TrainingExample> support(String tenant, boolean holdout) {
    List<TrainingExample> out = new ArrayList<>();
    int n = 0;
    for (String product : PRODUCTS) {
      for (String[] action : ACTIONS) {
        boolean held = n++ % 4 == 0;
        if (held != holdout) {
          continue;
        }
        String prompt =
            tenant.equals("acme")
                ? "How do I " + action[0] + " on my " + product + "?"
                : "My " + product + " needs help: " + action[0] + ".";
        String answer =
            tenant.equals("acme")
                ? "Open the app, choose your "
                    + product
                    + ", go to "
                    + action[1]
                    + " and follow the steps."
                : "Call us and say " + action[1].toLowerCase() + " " + product + ".";
        out.add(
            new TrainingExample.Sft(
                tenant + "-" + n, List.of(ChatTurn.user(prompt)), answer, held));
      }
    }
    return out;
  }

  static List<HoldoutItem> holdout(String tenant) {
    return support(tenant, true).stream()
        .map(
            e ->
                new HoldoutItem(e.id(), e.messages(), ((TrainingExample.Sft) e).completion(), null))
        .toList();
  }

  /**
   * Trains an adapter on the tenant's support track and saves it with a lineage.json naming the
   * base.
   */
  static Path train(Path dir, String tenant, double learningRate, int epochs, boolean rehearsal) {
    List<TrainingExample> data = new ArrayList<>(support(tenant, false));
    if (rehearsal) {
      Random random = new Random(5);
      List<Skill> skills = GeneralSkillsSuite.skills();
      int count = data.size();
      for (int i = 0; i < count; i++) {
        SkillItem item = skills.get(i % skills.size()).sample(random);
        data.add(
            new TrainingExample.Sft(
                "rehearsal-" + i, GeneralSkillsSuite.asMessages(item), item.answer(), false));
      }
    }
    TrainOptions d = TrainOptions.defaults(TrainingObjective.SFT);
    TrainOptions options =
        new TrainOptions(
            TrainingObjective.SFT,
            LoraConfig.defaults(),
            epochs,
            d.batchSize(),
            d.gradientAccumulation(),
            learningRate,
            d.dpoLearningRate(),
            d.warmupRatio(),
            d.weightDecay(),
            d.maxGradNorm(),
            d.beta(),
            d.maxLength(),
            42);
    try (TrainedAdapter trained = AdapterTrainer.train(lm(), data, options, p -> {})) {
      trained.save(dir, DefaultBaseModel.NAME);
      writeLineage(dir, identity().sha256());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeLineage(Path dir, String baseSha) throws IOException {
    ObjectNode lineage = JSON.createObjectNode();
    lineage.put("adapter_id", dir.getFileName().toString());
    lineage.putObject("base_model").put("name", DefaultBaseModel.NAME).put("sha256", baseSha);
    Files.writeString(dir.resolve(AdapterInspector.LINEAGE_FILE), JSON.writeValueAsString(lineage));
  }

  /** A fresh adapter (B = 0: changes nothing) saved as PEFT files, with lineage. */
  static Path zeroAdapter(Path dir) throws IOException {
    try (LoraAdapter adapter = LoraAdapter.create(lm().model(), LoraConfig.defaults(), 1)) {
      adapter.save(dir, DefaultBaseModel.NAME);
    }
    writeLineage(dir, identity().sha256());
    return dir;
  }

  /** An adapter with small random B: loads, changes outputs, is servable. */
  static Path randomAdapter(Path dir) throws IOException {
    try (LoraAdapter adapter = LoraAdapter.create(lm().model(), LoraConfig.defaults(), 2)) {
      adapter
          .parameters()
          .forEach(
              (key, array) -> {
                if (key.contains("lora_B")) {
                  array.set(
                      array
                          .getManager()
                          .randomNormal(0f, 0.01f, array.getShape(), array.getDataType())
                          .toFloatArray());
                }
              });
      adapter.save(dir, DefaultBaseModel.NAME);
    }
    writeLineage(dir, identity().sha256());
    return dir;
  }

  static AdapterCandidate candidate(String id, String tenant, String track, Path dir) {
    return AdapterCandidate.newBuilder()
        .setCandidateId(id)
        .setTenant(tenant)
        .setTrack(track)
        .setBaseModel(DefaultBaseModel.NAME)
        .setBaseModelSha256(identity().sha256())
        .setAdapterUri(dir.toAbsolutePath().toString())
        .setObjective(Objective.SFT)
        .setCreatedAt(Instant.now())
        .setExampleCount(36)
        .setSources(List.of())
        .setWindowStartedAt(Instant.now().minusSeconds(5))
        .build();
  }

  static EvaluatorConfig config(Path stateDir, Path store, String... overrides) {
    java.util.Map<String, String> map = new java.util.HashMap<>();
    map.put(EvaluatorConfig.STATE_DIR_CONFIG, stateDir.toString());
    map.put(EvaluatorConfig.ADAPTER_STORE_CONFIG, store.toString());
    for (int i = 0; i < overrides.length; i += 2) {
      map.put(overrides[i], overrides[i + 1]);
    }
    return EvaluatorConfig.load(java.util.Optional.empty(), java.util.Map.of(), map);
  }
}
