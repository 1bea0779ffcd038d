package io.sluice.curator.split;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.convert.ToolTexts;
import io.sluice.curator.dedup.NormalizedTexts;
import io.sluice.schemas.avro.ChatMessage;

/**
 * The content that decides a record's side of the split: its prompt turns and the one answer it is
 * about (an SFT completion with the calls it makes, a vote's response, a preference's chosen
 * answer), normalized as for dedup. The kind, a vote's label, a preference's rejected answer and
 * the tools offered are left out on purpose: one source event yields twins that differ only there
 * (an up-vote's SFT example and its DESIRABLE vote; a correction's SFT example and its preference
 * pair), and twins on different sides would let the evaluator score an item whose twin was trained
 * on.
 */
public final class SplitContent {

  private SplitContent() {}

  /** The split content of {@code candidate}, taking normalized texts from {@code texts}. */
  public static String of(Candidate candidate, NormalizedTexts texts) {
    StringBuilder content = new StringBuilder();
    for (ChatMessage turn : candidate.promptTurns()) {
      content
          .append(turn.getRole())
          .append(": ")
          .append(texts.of(ToolTexts.visibleText(turn.getContent(), turn.getToolCalls())));
      if (turn.getToolCallId() != null) {
        content.append(" #").append(turn.getToolCallId());
      }
      content.append('\n');
    }
    // answerTexts() puts the completion (with its calls), the response or the chosen answer first.
    return content.append(texts.of(candidate.answerTexts().get(0))).toString();
  }
}
