package io.sluice.curator.dedup;

import io.sluice.curator.convert.Candidate;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.Role;
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
   * Both keys from one normalization of each text: the dedup stage needs both for every record,
   * and normalizing (NFKC, case, punctuation) is a large share of its cost.
   */
  public static ContentKeys of(Candidate candidate) {
    return of(candidate, new NormalizedTexts());
  }

  /** Both keys, taking each text's normalized form from {@code texts}. */
  public static ContentKeys of(Candidate candidate, NormalizedTexts texts) {
    StringBuilder content = new StringBuilder(candidate.kind().name());
    StringJoiner near = new StringJoiner(" ");
    for (ChatMessage turn : candidate.promptTurns()) {
      String normalized = texts.of(turn.getContent());
      content.append('\n').append(turn.getRole()).append(": ").append(normalized);
      if (turn.getRole() != Role.system && !normalized.isEmpty()) {
        near.add(normalized);
      }
    }
    for (String answer : candidate.answers()) {
      String normalized = texts.of(answer);
      content.append('\n').append(normalized);
      if (!normalized.isEmpty()) {
        near.add(normalized);
      }
    }
    return new ContentKeys(sha256(content.toString()), near.toString());
  }

  /**
   * Hex SHA-256 of the normalized content: kind, every prompt turn with its role, and the answers.
   * Field boundaries are kept (a newline never survives normalization), so text moved from the
   * prompt into the completion is different content.
   */
  public static String contentHash(Candidate candidate) {
    return of(candidate).contentHash();
  }

  /**
   * The normalized text compared by MinHash: user and assistant turns plus the answers. System
   * turns are left out on purpose: an app sends the same long system prompt with every request,
   * and counting it would make every record of the app look like a near-copy of every other.
   */
  public static String nearText(Candidate candidate) {
    return of(candidate).nearText();
  }

  private static String sha256(String content) {
    byte[] hash = SHA_256.get().digest(content.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash);
  }
}
