package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CuratedJsonlTest {
  @TempDir Path dir;

  @Test
  void readsSftAndPreferenceRecordsOfCurateOutput() throws Exception {
    Path file = dir.resolve("curated.jsonl");
    Files.writeString(file, """
        {"id":"a","tenant":"acme","track":"support-bot","kind":"SFT","prompt":"Reset my password","completion":"Go to settings.","split":"TRAIN","pii_counts":{"EMAIL":1}}
        
        {"id":"b","tenant":"acme","track":"support-bot","kind":"PREFERENCE","prompt":[{"role":"system","content":"Be kind."},{"role":"user","content":"Mail <EMAIL_1>?"}],"chosen":"Sure.","rejected":"No.","split":"HOLDOUT"}
        """);
    List<TrainingExample> examples = CuratedJsonl.read(file);
    assertThat(examples).hasSize(2);
    assertThat(examples.get(0)).isEqualTo(
        new TrainingExample.Sft("a", List.of(ChatMessage.user("Reset my password")), "Go to settings.", false));
    TrainingExample.Preference pair = (TrainingExample.Preference) examples.get(1);
    assertThat(pair.messages()).containsExactly(new ChatMessage("system", "Be kind."), ChatMessage.user("Mail <EMAIL_1>?"));
    assertThat(pair.chosen()).isEqualTo("Sure.");
    assertThat(pair.holdout()).isTrue();
  }

  @Test
  void badLinesAreReportedWithTheirNumber() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, """
        {"id":"a","kind":"SFT","prompt":"x","completion":"y","split":"TRAIN"}
        {"id":"b","kind":"SFT","prompt":"x","split":"TRAIN"}
        """);
    assertThatThrownBy(() -> CuratedJsonl.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("bad.jsonl:2: 'completion' must be a string but is missing");
  }

  @Test
  void unknownKindAndRoleAndNonJsonFail() {
    assertThatThrownBy(() -> CuratedJsonl.parse("{\"kind\":\"RATING\",\"prompt\":\"x\"}", "f:1"))
        .hasMessageContaining("f:1: kind must be SFT or PREFERENCE but is 'RATING'");
    assertThatThrownBy(() -> CuratedJsonl.parse(
            "{\"kind\":\"SFT\",\"prompt\":[{\"role\":\"robot\",\"content\":\"x\"}],\"completion\":\"y\"}", "f:2"))
        .hasMessageContaining("role must be one of");
    assertThatThrownBy(() -> CuratedJsonl.parse("not json", "f:3")).hasMessageContaining("f:3: not valid JSON");
  }
}
