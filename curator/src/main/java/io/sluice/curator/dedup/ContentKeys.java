package io.sluice.curator.dedup;

import io.sluice.curator.convert.Candidate;
import io.sluice.curator.convert.ToolTexts;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;

/**
 * The two content keys of a candidate: its exact-duplicate hash and its near-duplicate text.
 *
 * @param contentHash hex SHA-256 of the normalized content (see {@link #contentHash})
 * @param nearText normalized text compared by MinHash (see {@link #nearText})
 */
public record ContentKeys(String contentHash, String nearText) {

  /**
   * One digest per thread: {@code MessageDigest.getInstance} looks the algorithm up among the
   * security providers on every call, about 1% of the curator's stream thread. {@code digest}
   * resets it for the next use.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every Java platform must provide SHA-256", e);
            }
          });

  /**
   * Both keys from one normalization of each text: the dedup stage needs both for every record, and
   * normalizing (NFKC, case, punctuation) is a large share of its cost.
   */
  public static ContentKeys of(Candidate candidate) {
    return of(candidate, new NormalizedTexts());
  }

  /** Both keys, taking each text's normalized form from {@code texts}. */
  public static ContentKeys of(Candidate candidate, NormalizedTexts texts) {
    StringBuilder content = new StringBuilder(candidate.kind().name());
    StringJoiner near = new StringJoiner(" ");
    for (ChatMessage turn : candidate.promptTurns()) {
      String normalized = texts.of(ToolTexts.visibleText(turn.getContent(), turn.getToolCalls()));
      content.append('\n').append(turn.getRole()).append(": ").append(normalized);
      // Only present on tool-using and weighted turns, so other records keep their hash.
      if (turn.getToolCallId() != null) {
        content.append(" #").append(turn.getToolCallId());
      }
      if (turn.getWeight() != null) {
        content.append(" @").append(turn.getWeight());
      }
      if (turn.getRole() != Role.system
          && turn.getRole() != Role.developer
          && !normalized.isEmpty()) {
        near.add(normalized);
      }
    }
    for (String answer : candidate.answerTexts()) {
      String normalized = texts.of(answer);
      content.append('\n').append(normalized);
      if (!normalized.isEmpty()) {
        near.add(normalized);
      }
    }
    for (ToolDefinition tool : candidate.tools()) {
      content
          .append("\ntool: ")
          .append(tool.getName())
          .append(' ')
          .append(tool.getDescription())
          .append(' ')
          .append(tool.getParameters());
    }
    return new ContentKeys(sha256(content.toString()), near.toString());
  }

  /**
   * Hex SHA-256 of the normalized content: kind, every prompt turn with its role (tool calls, call
   * id and weight included), the answers (with the calls they make), and the tools offered. Field
   * boundaries are kept (a newline never survives normalization), so text moved from the prompt
   * into the completion is different content.
   */
  public static String contentHash(Candidate candidate) {
    return of(candidate).contentHash();
  }

  /**
   * The normalized text compared by MinHash: user, assistant and tool turns plus the answers.
   * System (and developer) turns are left out on purpose: an app sends the same long system prompt
   * with every request, and counting it would make every record of the app look like a near-copy of
   * every other.
   */
  public static String nearText(Candidate candidate) {
    return of(candidate).nearText();
  }

  private static String sha256(String content) {
    byte[] hash = SHA_256.get().digest(content.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash);
  }
}
