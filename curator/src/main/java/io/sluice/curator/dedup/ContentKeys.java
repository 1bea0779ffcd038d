package io.sluice.curator.dedup;

import io.sluice.curator.convert.Candidate;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;

/** The two content keys of a candidate: its exact-duplicate hash and its near-duplicate text. */
public final class ContentKeys {

  private ContentKeys() {}

  /**
   * Hex SHA-256 of the normalized content: kind, every prompt turn with its role, and the answers.
   * Field boundaries are kept (a newline never survives normalization), so text moved from the
   * prompt into the completion is different content.
   */
  public static String contentHash(Candidate candidate) {
    StringBuilder content = new StringBuilder(candidate.kind().name());
    for (ChatMessage turn : candidate.promptTurns()) {
      content.append('\n').append(turn.getRole()).append(": ").append(ContentNormalizer.normalize(turn.getContent()));
    }
    for (String answer : candidate.answers()) {
      content.append('\n').append(ContentNormalizer.normalize(answer));
    }
    return sha256(content.toString());
  }

  /**
   * The normalized text compared by MinHash: user and assistant turns plus the answers. System
   * turns are left out on purpose: an app sends the same long system prompt with every request,
   * and counting it would make every record of the app look like a near-copy of every other.
   */
  public static String nearText(Candidate candidate) {
    StringJoiner text = new StringJoiner(" ");
    for (ChatMessage turn : candidate.promptTurns()) {
      if (turn.getRole() != Role.system) {
        add(text, turn.getContent());
      }
    }
    for (String answer : candidate.answers()) {
      add(text, answer);
    }
    return text.toString();
  }

  private static void add(StringJoiner text, String raw) {
    String normalized = ContentNormalizer.normalize(raw);
    if (!normalized.isEmpty()) {
      text.add(normalized);
    }
  }

  private static String sha256(String content) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
