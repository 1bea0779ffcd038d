package io.sluice.trainer;

import io.sluice.model.LanguageModel;
import io.sluice.model.SentenceEmbeddings;
import io.sluice.model.train.TrainingExample;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops a window's paraphrases before training (SemDedup, Abbas et al. 2023): each example (prompt
 * + answer; a pair by its chosen answer, a vote by its response) is embedded by the base model
 * ({@link SentenceEmbeddings}), and an example whose cosine to an earlier kept example of the same
 * track and kind is at least the threshold is not trained. Earlier means earlier in the window, or
 * in the track's {@link SemanticIndex}.
 *
 * <p>Cosines are taken after mean-centering: a decoder's raw mean-pooled embeddings are anisotropic
 * (they share one dominant direction), so on sluice-tiny two distinct answers from one template
 * reached 0.976 while a true paraphrase pair scored 0.887. Subtracting the mean embedding of the
 * track (every embedding it has produced, this window included) and re-normalising, the standard
 * correction for anisotropy (Mu and Viswanath 2018, "all-but-the-top"; Su et al. 2021), leaves what
 * distinguishes examples within the track, so a fixed threshold means the same on every base. The
 * mean is persisted with the index, so a retrained window is judged identically.
 *
 * <p>Kinds are never compared with each other: the SFT record and the preference pair derived from
 * one correction share their text but teach different things; votes are compared within their
 * label. Tracks are never compared: each has its own index.
 */
final class SemanticDedup {

  /** A window example left out: its id, the kept example it repeats, and their cosine. */
  record Duplicate(String id, String duplicateOf, double cosine) {}

  /**
   * @param threshold the cosine the window was judged by; 0 when the check was off
   * @param kept the window's examples that are trained, in window order
   * @param vectors every window example's unit embedding, in window order (empty when disabled)
   * @param keptEntries what the index gains once the window is committed
   * @param indexSize entries of the track's index the window was compared with
   */
  record Result(
      double threshold,
      List<PendingExample> kept,
      List<Duplicate> duplicates,
      List<float[]> vectors,
      List<SemanticIndex.Entry> keptEntries,
      int indexSize) {

    static Result disabled(List<PendingExample> window) {
      return new Result(0, List.copyOf(window), List.of(), List.of(), List.of(), 0);
    }
  }

  private SemanticDedup() {}

  /**
   * @param threshold cosine at or above which an example is a duplicate; 0 disables the check
   */
  static Result apply(
      LanguageModel lm,
      List<PendingExample> window,
      SemanticIndex index,
      double threshold,
      int batchSize,
      int maxLength) {
    if (threshold == 0 || window.isEmpty()) {
      return Result.disabled(window);
    }
    List<long[]> sequences = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (PendingExample e : window) {
      TrainingExample example = CuratedExamples.toTrainingExample(e.record());
      sequences.add(
          lm.tokenizer().encodeExample(example.messages(), comparedAnswer(example)).ids());
      kinds.add(kindKey(example));
    }
    float[][] raw = SentenceEmbeddings.meanPooled(lm, sequences, batchSize, maxLength);
    double[] mean = mean(index, raw);
    List<SemanticIndex.Entry> earlier = index.entries();
    List<float[]> earlierCentred = earlier.stream().map(e -> centred(e.vector(), mean)).toList();
    List<PendingExample> kept = new ArrayList<>();
    List<Duplicate> duplicates = new ArrayList<>();
    List<SemanticIndex.Entry> keptEntries = new ArrayList<>();
    List<float[]> keptCentred = new ArrayList<>();
    for (int i = 0; i < window.size(); i++) {
      float[] v = centred(raw[i], mean);
      String id = window.get(i).record().getId();
      String bestId = null;
      double best = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < earlier.size(); j++) {
        double c =
            kinds.get(i).equals(earlier.get(j).kindKey()) ? dot(v, earlierCentred.get(j)) : best;
        if (c > best) {
          best = c;
          bestId = earlier.get(j).id();
        }
      }
      for (int j = 0; j < keptEntries.size(); j++) {
        double c =
            kinds.get(i).equals(keptEntries.get(j).kindKey()) ? dot(v, keptCentred.get(j)) : best;
        if (c > best) {
          best = c;
          bestId = keptEntries.get(j).id();
        }
      }
      if (bestId != null && best >= threshold) {
        duplicates.add(new Duplicate(id, bestId, best));
      } else {
        kept.add(window.get(i));
        keptEntries.add(new SemanticIndex.Entry(id, kinds.get(i), raw[i]));
        keptCentred.add(v);
      }
    }
    return new Result(threshold, kept, duplicates, List.of(raw), keptEntries, earlier.size());
  }

  /** What a record is compared by: the answer it teaches, after its prompt. */
  private static String comparedAnswer(TrainingExample example) {
    if (example instanceof TrainingExample.Sft s) {
      return s.completion();
    }
    if (example instanceof TrainingExample.Preference p) {
      return p.chosen();
    }
    return ((TrainingExample.Binary) example).response();
  }

  private static String kindKey(TrainingExample example) {
    if (example instanceof TrainingExample.Sft) {
      return "SFT";
    }
    if (example instanceof TrainingExample.Preference) {
      return "PREFERENCE";
    }
    return ((TrainingExample.Binary) example).desirable()
        ? "BINARY_FEEDBACK/DESIRABLE"
        : "BINARY_FEEDBACK/UNDESIRABLE";
  }

  /**
   * The mean of every embedding the track has produced: the index's running sum and this window.
   */
  private static double[] mean(SemanticIndex index, float[][] window) {
    double[] sum = index.sum();
    double[] mean =
        sum != null && sum.length == window[0].length ? sum : new double[window[0].length];
    long count = sum != null && sum.length == window[0].length ? index.seen() : 0;
    for (float[] v : window) {
      for (int i = 0; i < v.length; i++) {
        mean[i] += v[i];
      }
    }
    count += window.length;
    for (int i = 0; i < mean.length; i++) {
      mean[i] /= count;
    }
    return mean;
  }

  /** (v − mean) / ‖v − mean‖; the zero vector when v is the mean (cosine 0 with everything). */
  static float[] centred(float[] v, double[] mean) {
    float[] out = new float[v.length];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      double d = v[i] - mean[i];
      out[i] = (float) d;
      norm += d * d;
    }
    norm = Math.sqrt(norm);
    if (norm < 1e-12) {
      return new float[v.length];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= (float) norm;
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
