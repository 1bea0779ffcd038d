package io.sluice.curator.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.curator.convert.Candidate;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.Origin;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentKeysTest {

  private static Candidate sft(Object prompt, String completion) {
    return new Candidate(
        "id",
        "id",
        "acme",
        "support",
        ExampleKind.SFT,
        Origin.EXAMPLE,
        prompt,
        completion,
        null,
        null);
  }

  @Test
  void shouldHashCosmeticVariantsAlike() {
    assertThat(ContentKeys.contentHash(sft("How do I reset?", "Use the link.")))
        .isEqualTo(ContentKeys.contentHash(sft("how do i  RESET", "use the link")))
        .hasSize(64);
  }

  @Test
  void shouldKeepFieldBoundariesInTheHash() {
    assertThat(ContentKeys.contentHash(sft("Reset it now", "please")))
        .isNotEqualTo(ContentKeys.contentHash(sft("Reset it", "now please")));
  }

  @Test
  void shouldLeaveSystemTurnsOutOfTheNearDuplicateText() {
    Candidate candidate =
        sft(
            List.of(
                ChatMessages.of(Role.system, "You are Acme's helpful bot."),
                ChatMessages.of(Role.user, "Reset?")),
            "Use the link.");

    assertThat(ContentKeys.nearText(candidate)).isEqualTo("reset use the link");
  }

  @Test
  void shouldNormalizeCaseWidthPunctuationAndSpaces() {
    assertThat(ContentNormalizer.normalize("  Ｈｅｌｌｏ,\tWORLD!!  it's\n5 p.m. "))
        .isEqualTo("hello world it s 5 p m");
  }
}
