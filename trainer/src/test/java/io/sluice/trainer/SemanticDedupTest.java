package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.sluice.model.LanguageModel;
import io.sluice.model.LlamaConfig;
import io.sluice.model.LlamaModel;
import io.sluice.model.SentenceEmbeddings;
import io.sluice.model.io.ChatTemplate;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.TextTokenizer;
import io.sluice.model.io.TinyTokenizer;
import io.sluice.schemas.avro.CuratedExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic dedup on a base whose embeddings are controlled: its decoder layers add nothing (o_proj
 * and down_proj are zero), so a text's embedding is the mean of its tokens' embedding rows. Every
 * byte shares one row (the "template" direction that makes raw embeddings anisotropic), except the
 * capital letters, each of which has a direction of its own. Two texts are paraphrases when they
 * share their capitals whatever their other words; texts with other capitals are distinct although
 * their raw cosine is near 1.
 */
class SemanticDedupTest {
  private static final TopicPartition P = new TopicPartition("sluice.examples.curated", 0);
  @TempDir static Path base;
  @TempDir Path store;
  private static LanguageModel lm;

  @BeforeAll
  static void controlledBase() throws Exception {
    TinyTokenizer.write(base);
    LlamaConfig config = LlamaConfig.of(32, 64, 1, 4, 2, TinyTokenizer.VOCAB_SIZE, 512);
    LlamaModel model = LlamaModel.random(config, 1, Device.cpu());
    model
        .parameters()
        .forEach(
            (name, p) -> {
              if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
                p.set(new NDIndex("..."), 0f);
              }
            });
    NDArray embedding = model.parameters().get("model.embed_tokens.weight"); // (V, 32)
    float[] rows = new float[TinyTokenizer.VOCAB_SIZE * 32];
    for (int token = 0; token < TinyTokenizer.VOCAB_SIZE; token++) {
      int direction = token >= 'A' && token <= 'Z' ? 1 + token - 'A' : 0;
      rows[token * 32 + direction] = 1f;
    }
    embedding.set(new NDIndex("..."), embedding.getManager().create(rows, embedding.getShape()));
    lm = new LanguageModel(model, TextTokenizer.load(base, ChatTemplate.chatMl()), base);
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  private static PendingExample sft(
      String tenant, String id, long offset, String prompt, String answer) {
    return pending(
        Curated.sft(tenant, "support", id, prompt, answer, io.sluice.schemas.avro.Split.TRAIN),
        offset);
  }

  private static PendingExample pending(CuratedExample record, long offset) {
    return new PendingExample(P, offset, record, 0, 0);
  }

  private static SemanticDedup.Result dedup(
      List<PendingExample> window, SemanticIndex index, double threshold) {
    return SemanticDedup.apply(lm, window, index, threshold, 4, 256);
  }

  private static List<String> ids(List<PendingExample> examples) {
    return examples.stream().map(e -> e.record().getId()).toList();
  }

  private static final List<PendingExample> WINDOW =
      List.of(
          sft(
              "acme",
              "router",
              0,
              "how do i reset my ROUTE box?",
              "hold the ROUTE button for ten seconds."),
          sft(
              "acme",
              "blimp",
              1,
              "where can i see the BLIMP schedule?",
              "the BLIMP page lists it."),
          sft(
              "acme",
              "router-paraphrase",
              2,
              "what is the way to factory-reset the ROUTE thing?",
              "press and keep holding its ROUTE reset key."),
          sft(
              "acme",
              "whack",
              3,
              "how do i cancel my WHACK plan?",
              "open settings and choose WHACK, then cancel."),
          sft(
              "acme",
              "fjord",
              4,
              "is the FJORD tour running today?",
              "yes, the FJORD tour runs daily."),
          sft("acme", "gyzq", 5, "what does GYZQ mean on my bill?", "GYZQ is the service fee."));

  @Test
  void rawEmbeddingsAreAnisotropicSoCosinesAreTakenAfterCentering() {
    List<long[]> texts =
        WINDOW.stream()
            .map(
                e ->
                    lm.tokenizer()
                        .encodeExample(
                            List.of(ChatTurn.user(e.record().getPrompt().toString())),
                            e.record().getCompletion())
                        .ids())
            .toList();
    float[][] raw = SentenceEmbeddings.meanPooled(lm, texts, 4, 256);
    for (float[] v : raw) {
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    // distinct examples (BLIMP, WHACK) look like near-duplicates before centering
    assertThat(dot(raw[1], raw[3])).isGreaterThan(0.9);
    // batching changes nothing
    float[][] oneByOne = SentenceEmbeddings.meanPooled(lm, texts, 1, 256);
    for (int i = 0; i < raw.length; i++) {
      assertThat(oneByOne[i]).containsExactly(raw[i], org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void aParaphraseIsDroppedAndDistinctExamplesAreKept() throws Exception {
    SemanticIndex index = SemanticIndex.open(store, 100, "sha");
    SemanticDedup.Result result = dedup(WINDOW, index, 0.9);
    assertThat(ids(result.kept())).containsExactly("router", "blimp", "whack", "fjord", "gyzq");
    assertThat(result.duplicates())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.id()).isEqualTo("router-paraphrase");
              assertThat(d.duplicateOf()).isEqualTo("router");
              assertThat(d.cosine()).isGreaterThanOrEqualTo(0.9);
            });
    assertThat(result.vectors()).hasSize(6);
    assertThat(result.keptEntries()).hasSize(5);
  }

  @Test
  void theIndexRemembersKeptExamplesAcrossARestartAndDropsTheOldestBeyondItsCapacity()
      throws Exception {
    SemanticIndex first = SemanticIndex.open(store, 100, "sha");
    SemanticDedup.Result window1 = dedup(WINDOW, first, 0.9);
    first.addAndSave(window1.vectors(), window1.keptEntries());

    SemanticIndex reopened = SemanticIndex.open(store, 100, "sha");
    assertThat(reopened.size()).isEqualTo(5);
    assertThat(reopened.seen()).isEqualTo(6);
    List<PendingExample> window2 =
        List.of(
            sft(
                "acme",
                "blimp-again",
                10,
                "when does the BLIMP fly?",
                "check the BLIMP page for times."),
            sft("acme", "quvx", 11, "why is my QUVX card declined?", "your QUVX card has expired."),
            sft(
                "acme",
                "mends",
                12,
                "can i change my MENDS address?",
                "yes, under MENDS profile."));
    SemanticDedup.Result result = dedup(window2, reopened, 0.9);
    assertThat(ids(result.kept())).containsExactly("quvx", "mends");
    assertThat(result.duplicates())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.id()).isEqualTo("blimp-again");
              assertThat(d.duplicateOf()).isEqualTo("blimp");
            });
    assertThat(result.indexSize()).isEqualTo(5);

    SemanticIndex small = SemanticIndex.open(store, 3, "sha");
    assertThat(small.entries())
        .extracting(SemanticIndex.Entry::id)
        .containsExactly("whack", "fjord", "gyzq");
    assertThat(SemanticIndex.open(store, 100, "another base").size()).isZero();
  }

  @Test
  void tenantsAndKindsAreNeverCompared() throws Exception {
    Path acme = store.resolve("acme").resolve("support");
    Path globex = store.resolve("globex").resolve("support");
    SemanticIndex acmeIndex = SemanticIndex.open(acme, 100, "sha");
    SemanticDedup.Result acmeResult = dedup(WINDOW, acmeIndex, 0.9);
    acmeIndex.addAndSave(acmeResult.vectors(), acmeResult.keptEntries());

    List<PendingExample> globexWindow = new ArrayList<>();
    for (PendingExample e : WINDOW.subList(0, 2)) {
      CuratedExample r = e.record();
      globexWindow.add(
          sft("globex", r.getId(), e.offset(), r.getPrompt().toString(), r.getCompletion()));
    }
    SemanticDedup.Result globexResult =
        dedup(globexWindow, SemanticIndex.open(globex, 100, "sha"), 0.9);
    assertThat(globexResult.duplicates()).isEmpty();

    // the pair of a correction repeats its SFT record's text and teaches something else
    List<PendingExample> kinds =
        List.of(
            WINDOW.get(0),
            WINDOW.get(1),
            pending(
                Curated.pair(
                    "acme",
                    "support",
                    "router#preference",
                    "how do i reset my ROUTE box?",
                    "hold the ROUTE button for ten seconds.",
                    "no idea."),
                7),
            WINDOW.get(3));
    assertThat(
            dedup(kinds, SemanticIndex.open(store.resolve("kinds"), 100, "sha"), 0.9).duplicates())
        .isEmpty();
  }

  @Test
  void thresholdZeroDisablesTheCheck() throws Exception {
    SemanticDedup.Result result = dedup(WINDOW, SemanticIndex.open(store, 100, "sha"), 0);
    assertThat(result.kept()).hasSize(WINDOW.size());
    assertThat(result.vectors()).isEmpty();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
