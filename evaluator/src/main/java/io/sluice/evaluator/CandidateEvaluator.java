package io.sluice.evaluator;

import io.sluice.model.LanguageModel;
import io.sluice.model.io.ChatTurn;
import io.sluice.model.layers.Adaptation;
import io.sluice.model.lora.LoraAdapter;
import io.sluice.schemas.avro.Action;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.PairedInterval;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates one candidate, Kafka-free: inspect it, score candidate, champion and base on the same
 * holdout snapshot and general suite, apply the gate, and build the report, the decision and (on a
 * promotion) the next registry entry. The service publishes them; tests assert on them.
 *
 * <p>The base's scores are computed once per base and snapshot, and the champion's once per
 * champion and snapshot: only the candidate is new in a typical evaluation.
 */
public final class CandidateEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(CandidateEvaluator.class);
  private static final List<String> PROBE_PROMPTS =
      List.of("What is 7+8?", "Capital of France?", "Hello, I need help with my account.");
  private static final int PROBES_FROM_HOLDOUT = 4;

  private final LanguageModel lm;
  private final String baseName;
  private final String baseSha256;
  private final GeneralSuite suite;
  private final EvaluatorConfig config;
  private final ScoreCache cache = new ScoreCache(64);

  public CandidateEvaluator(
      LanguageModel lm,
      String baseName,
      String baseSha256,
      GeneralSuite suite,
      EvaluatorConfig config) {
    this.lm = lm;
    this.baseName = baseName;
    this.baseSha256 = baseSha256;
    this.suite = suite;
    this.config = config;
  }

  /** A model's domain and general scores. */
  public record Scores(DomainScores domain, Map<String, Double> general) {}

  /**
   * Everything one evaluation produced.
   *
   * @param registry the next registry entry, only on a promotion
   */
  public record Outcome(
      EvaluationReport report,
      PromotionDecision decision,
      RegistryEntry registry,
      PromotionGate.Decision gate) {}

  public Outcome evaluate(
      AdapterCandidate candidate, List<HoldoutItem> holdout, RegistryEntry current, Instant now) {
    long started = System.nanoTime();
    LOG.info(
        "evaluating {} of {}/{}",
        candidate.getCandidateId(),
        candidate.getTenant(),
        candidate.getTrack());
    List<HoldoutItem> items = usable(holdout);
    String holdoutHash = HoldoutStore.hash(items);
    Path dir = resolve(candidate.getAdapterUri());
    List<long[]> probes = probes(items);
    AdapterInspector.Inspection inspection =
        AdapterInspector.inspect(
            dir,
            lm,
            baseSha256,
            candidate.getBaseModelSha256(),
            config.servingMaxRank(),
            config.noEffectTolerance(),
            probes);
    List<GateReason> findings = new ArrayList<>(inspection.findings());
    AdapterRef champion = current == null ? null : current.getActive();

    Scores cand = null;
    Scores champ = null;
    Scores base = null;
    if (inspection.adapter() != null) {
      try (LoraAdapter adapter = inspection.adapter();
          LoraAdapter.Merged merged = adapter.merged()) {
        base = baseScores(items, holdoutHash);
        champ = champion == null ? base : championScores(champion, items, holdoutHash, findings);
        if (champ == null) {
          champ = base;
        }
        cand = score(merged, items);
      }
    }

    EvaluationReport.Builder report =
        EvaluationReport.newBuilder()
            .setReportId(UUID.randomUUID().toString())
            .setCandidateId(candidate.getCandidateId())
            .setTenant(candidate.getTenant())
            .setTrack(candidate.getTrack())
            .setEvaluatedAt(now)
            .setHoldoutSize(items.size())
            .setHoldoutHash(holdoutHash)
            .setBaseModel(baseName)
            .setBaseModelSha256(baseSha256)
            .setChampionId(champion == null ? null : champion.getCandidateId())
            .setDomainMetric(DomainScores.GATE_METRIC)
            .setChecks(findings.stream().map(GateReason::line).toList())
            .setDomainScores(Map.of())
            .setBaselineDomainScores(Map.of())
            .setGeneralScores(Map.of())
            .setBaselineGeneralScores(Map.of());

    PromotionGate.Decision gate;
    if (cand == null) {
      gate = new PromotionGate.Decision(false, findings, null);
    } else {
      gate =
          PromotionGate.evaluate(
              config.gate(),
              new PromotionGate.Input(
                  cand.domain().perItem(),
                  champ.domain().perItem(),
                  cand.general(),
                  champ.general(),
                  base.general(),
                  findings));
      Map<String, Double> forgetting = new LinkedHashMap<>();
      Map<String, Double> transfer = new LinkedHashMap<>();
      for (Map.Entry<String, Double> task : cand.general().entrySet()) {
        forgetting.put(
            task.getKey(),
            champ.general().getOrDefault(task.getKey(), Double.NaN) - task.getValue());
        transfer.put(
            task.getKey(),
            task.getValue() - base.general().getOrDefault(task.getKey(), Double.NaN));
      }
      report
          .setForgettingBudget(config.gate().forgettingBudget())
          .setDomainScores(cand.domain().asMap())
          .setBaselineDomainScores(champ.domain().asMap())
          .setBaseDomainScores(base.domain().asMap())
          .setGeneralScores(cand.general())
          .setBaselineGeneralScores(champ.general())
          .setBaseGeneralScores(base.general())
          .setForgetting(forgetting)
          .setBackwardTransfer(transfer);
      if (gate.domain() != null) {
        PairedBootstrap.Interval i = gate.domain();
        report.setDomainDifference(
            new PairedInterval(
                i.mean(), i.lower(), i.upper(), i.confidence(), i.resamples(), i.seed()));
      }
    }
    report.setSeconds((System.nanoTime() - started) / 1e9);
    EvaluationReport built = report.build();

    String decisionId = UUID.randomUUID().toString();
    RegistryEntry next = null;
    if (gate.promote()) {
      AdapterRef ref =
          AdapterRef.newBuilder()
              .setCandidateId(candidate.getCandidateId())
              .setAdapterUri(dir.toString())
              .setBaseModel(baseName)
              .setBaseModelSha256(baseSha256)
              .setPromotedAt(now)
              .setDecisionId(decisionId)
              .build();
      next =
          RegistryTransitions.promote(
              current,
              candidate.getTenant(),
              candidate.getTrack(),
              ref,
              gate.reasons().get(0).message(),
              "gate",
              now);
      // The new champion's scores are the candidate's: the next candidate of the track need not
      // score it again.
      String id = championKey(ref);
      cache.put("general|champion|" + id + "|" + suite.id(), cand.general());
      cache.put("domain|champion|" + id + "|" + holdoutHash, cand.domain());
    }
    PromotionDecision decision =
        PromotionDecision.newBuilder()
            .setDecisionId(decisionId)
            .setCandidateId(candidate.getCandidateId())
            .setTenant(candidate.getTenant())
            .setTrack(candidate.getTrack())
            .setAction(gate.promote() ? Action.PROMOTE : Action.REJECT)
            .setReasons(gate.reasons().stream().map(GateReason::line).toList())
            .setDetails(gate.reasons().stream().map(GateReason::toAvro).toList())
            .setReportId(built.getReportId())
            .setActor("gate")
            .setDecidedAt(now)
            .setAdapterUri(dir.toString())
            .setRegistryVersion(next == null ? null : next.getVersion())
            .build();
    LOG.info(
        "{} {}/{} {}: {} in {} s",
        decision.getAction(),
        candidate.getTenant(),
        candidate.getTrack(),
        candidate.getCandidateId(),
        gate.reasons().stream()
            .map(r -> r.code().name())
            .distinct()
            .collect(Collectors.joining(",")),
        String.format("%.1f", built.getSeconds()));
    return new Outcome(built, decision, next, gate);
  }

  /**
   * Where an adapterUri points: an absolute path, a file: URI, or a path inside the adapter store.
   */
  Path resolve(String adapterUri) {
    if (adapterUri.startsWith("file:")) {
      return Path.of(URI.create(adapterUri));
    }
    Path path = Path.of(adapterUri);
    return path.isAbsolute() ? path : config.adapterStore().resolve(path);
  }

  /**
   * Items the base can hold whole (prompt and answer within its positions); the rest are left out
   * for every role.
   */
  private List<HoldoutItem> usable(List<HoldoutItem> holdout) {
    int max = lm.model().config().maxPositionEmbeddings();
    return holdout.stream()
        .filter(
            item -> {
              int longest = lm.tokenizer().encodeExample(item.messages(), item.answer()).length();
              if (item.isPair()) {
                longest =
                    Math.max(
                        longest,
                        lm.tokenizer().encodeExample(item.messages(), item.rejected()).length());
              }
              return longest <= max;
            })
        .toList();
  }

  private List<long[]> probes(List<HoldoutItem> items) {
    List<long[]> probes = new ArrayList<>();
    PROBE_PROMPTS.forEach(p -> probes.add(lm.tokenizer().encodePrompt(List.of(ChatTurn.user(p)))));
    items.stream()
        .limit(PROBES_FROM_HOLDOUT)
        .forEach(i -> probes.add(lm.tokenizer().encodePrompt(i.messages())));
    return probes;
  }

  private Scores baseScores(List<HoldoutItem> items, String holdoutHash) {
    Map<String, Double> general =
        cache.get(
            "general|base|" + baseSha256 + "|" + suite.id(),
            () -> suite.evaluate(lm, Adaptation.NONE, config.batchSize()));
    DomainScores domain =
        cache.get(
            "domain|base|" + baseSha256 + "|" + holdoutHash,
            () ->
                DomainScorer.score(
                    lm, Adaptation.NONE, items, config.batchSize(), config.domainMaxNewTokens()));
    return new Scores(domain, general);
  }

  /** The champion's scores, or null (with a finding) when it cannot be loaded. */
  private Scores championScores(
      AdapterRef champion, List<HoldoutItem> items, String holdoutHash, List<GateReason> findings) {
    String id = championKey(champion);
    try {
      Map<String, Double> general =
          cache.get(
              "general|champion|" + id + "|" + suite.id(),
              () -> withMerged(champion, merged -> suite.evaluate(lm, merged, config.batchSize())));
      DomainScores domain =
          cache.get(
              "domain|champion|" + id + "|" + holdoutHash,
              () ->
                  withMerged(
                      champion,
                      merged ->
                          DomainScorer.score(
                              lm, merged, items, config.batchSize(), config.domainMaxNewTokens())));
      return new Scores(domain, general);
    } catch (RuntimeException e) {
      findings.add(
          GateReason.of(
              ReasonCode.CHAMPION_UNAVAILABLE,
              "champion "
                  + champion.getCandidateId()
                  + " at "
                  + champion.getAdapterUri()
                  + " cannot be scored: "
                  + e.getMessage()));
      return null;
    }
  }

  private static String championKey(AdapterRef champion) {
    return champion.getCandidateId() + "|" + champion.getAdapterUri();
  }

  private <T> T withMerged(AdapterRef ref, java.util.function.Function<Adaptation, T> body) {
    try (LoraAdapter adapter = LoraAdapter.load(lm.model(), resolve(ref.getAdapterUri()));
        LoraAdapter.Merged merged = adapter.merged()) {
      return body.apply(merged);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Scores score(Adaptation merged, List<HoldoutItem> items) {
    return new Scores(
        DomainScorer.score(lm, merged, items, config.batchSize(), config.domainMaxNewTokens()),
        suite.evaluate(lm, merged, config.batchSize()));
  }
}
