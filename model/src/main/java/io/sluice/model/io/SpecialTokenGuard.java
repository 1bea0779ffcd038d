package io.sluice.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.io.ChatTemplate.Segment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps user text from becoming special tokens.
 *
 * <p>Hugging Face tokenizers match added tokens ({@code <|im_end|>}, {@code <|eot_id|>}, …)
 * anywhere in a string before the model's own algorithm runs, so a user who types {@code
 * <|im_end|>} would end their own turn, and a trainer fine-tuning on that feedback would learn from
 * the forged boundary. The guard finds each occurrence of an added token that overlaps user text
 * and picks a split point inside it; encoding the pieces separately then gives the literal's
 * ordinary tokens. Text with no such occurrence stays one piece, so it encodes exactly as it did
 * without the guard.
 *
 * <p>Added tokens of one code point are left alone: they cannot be split, and a single character
 * carries no structure. Whitespace-only added tokens are left alone too, since splitting every
 * indentation run would change ordinary text for nothing.
 */
final class SpecialTokenGuard {
  private final List<String> texts;
  private final Set<Long> ids;

  private SpecialTokenGuard(List<String> texts, Set<Long> ids) {
    this.texts = List.copyOf(texts);
    this.ids = Set.copyOf(ids);
  }

  /** The added tokens of {@code tokenizerJson}, plus {@code stop} (which a template may add). */
  static SpecialTokenGuard read(Path tokenizerJson, String stop, long stopId) throws IOException {
    List<String> texts = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    for (JsonNode token :
        new ObjectMapper().readTree(tokenizerJson.toFile()).path("added_tokens")) {
      String content = token.path("content").asText("");
      if (guarded(content)) {
        texts.add(content);
        ids.add(token.path("id").asLong());
      }
    }
    if (guarded(stop) && !texts.contains(stop)) {
      texts.add(stop);
    }
    ids.add(stopId);
    return new SpecialTokenGuard(texts, ids);
  }

  private static boolean guarded(String token) {
    return token.codePointCount(0, token.length()) >= 2 && !token.isBlank();
  }

  /** How many of {@code tokenIds} are guarded tokens. */
  int count(long[] tokenIds) {
    int n = 0;
    for (long id : tokenIds) {
      if (ids.contains(id)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Split points in {@code text} (the joined segments) such that no occurrence of a guarded token
   * that overlaps user text survives whole in any piece. Points lie in user text or on its edges,
   * never inside the template's own tokens, and never between the halves of a surrogate pair.
   */
  int[] cuts(String text, List<int[]> userRanges) {
    List<int[]> hits = new ArrayList<>();
    for (String token : texts) {
      for (int[] range : userRanges) {
        for (int s = text.indexOf(token, Math.max(0, range[0] - token.length() + 1));
            s >= 0 && s < range[1];
            s = text.indexOf(token, s + 1)) {
          hits.add(new int[] {s, s + token.length()});
        }
      }
    }
    // Classic interval stabbing: taking hits by end and cutting as late as allowed means each
    // cut also breaks as many later, overlapping hits as possible.
    hits.sort(Comparator.comparingInt(h -> h[1]));
    TreeSet<Integer> cuts = new TreeSet<>();
    for (int[] hit : hits) {
      Integer next = cuts.higher(hit[0]);
      if (next == null || next >= hit[1]) {
        cuts.add(latestCut(text, hit, userRanges));
      }
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int latestCut(String text, int[] hit, List<int[]> userRanges) {
    for (int b = hit[1] - 1; b > hit[0]; b--) {
      if (!Character.isLowSurrogate(text.charAt(b)) && inOrOnEdge(b, userRanges)) {
        return b;
      }
    }
    // Unreachable: a hit overlaps user text and is at least two code points long, so either an
    // edge of that text or a code point boundary inside it lies strictly within the hit.
    throw new IllegalStateException("no split point inside " + text.substring(hit[0], hit[1]));
  }

  private static boolean inOrOnEdge(int position, List<int[]> userRanges) {
    for (int[] range : userRanges) {
      if (position >= range[0] && position <= range[1]) {
        return true;
      }
    }
    return false;
  }

  /** Char ranges {@code [start, end)} of the user-text segments within their joined text. */
  static List<int[]> userRanges(List<Segment> segments) {
    List<int[]> ranges = new ArrayList<>();
    int at = 0;
    for (Segment s : segments) {
      if (s.userText()) {
        ranges.add(new int[] {at, at + s.text().length()});
      }
      at += s.text().length();
    }
    return ranges;
  }

  /** A split before and after every code point of user text. */
  static int[] everyCodePoint(String text, List<int[]> userRanges) {
    TreeSet<Integer> cuts = new TreeSet<>();
    for (int[] range : userRanges) {
      for (int b = range[0];
          b <= range[1];
          b = b < range[1] ? text.offsetByCodePoints(b, 1) : b + 1) {
        cuts.add(b);
      }
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }
}
