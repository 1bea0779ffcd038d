package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.io.ChatTurn;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.skills.GeneralSkillsSuite;
import io.sluice.model.skills.SuiteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed default model: it extracts, loads, and still has every general skill. */
class DefaultBaseModelTest {
  @TempDir static Path home;
  private static String previousHome;

  @BeforeAll
  static void isolateSluiceHome() {
    previousHome = System.getProperty("sluice.home");
    System.setProperty("sluice.home", home.toString());
  }

  @AfterAll
  static void restoreSluiceHome() {
    if (previousHome == null) {
      System.clearProperty("sluice.home");
    } else {
      System.setProperty("sluice.home", previousHome);
    }
  }

  @Test
  void extractsOnceIntoTheSluiceHome() throws Exception {
    Path first = DefaultBaseModel.path();
    assertThat(first).startsWith(home.resolve("models"));
    assertThat(first.resolve("config.json")).exists();
    assertThat(first.resolve("model.safetensors")).exists();
    assertThat(first.resolve("tokenizer.json")).exists();
    long modified = Files.getLastModifiedTime(first.resolve("model.safetensors")).toMillis();
    assertThat(DefaultBaseModel.path()).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(first.resolve("model.safetensors")).toMillis())
        .isEqualTo(modified);
  }

  @Test
  void committedModelScoresAtLeast90PercentOnEverySkill() throws Exception {
    try (LanguageModel lm = LanguageModel.load(DefaultBaseModel.path())) {
      SuiteResult result = GeneralSkillsSuite.evaluate(lm, Adaptation.NONE);
      assertThat(result.skills()).hasSize(6);
      assertThat(result.skills())
          .allSatisfy(
              (skill, accuracy) -> assertThat(accuracy).as(skill).isGreaterThanOrEqualTo(0.9));
      assertThat(result.seconds()).isLessThan(60);
      assertThat(
              lm.chat(
                  List.of(ChatTurn.user("Capital of France?")),
                  Adaptation.NONE,
                  GenerationOptions.greedy(16)))
          .isEqualTo("Paris");
    }
  }
}
