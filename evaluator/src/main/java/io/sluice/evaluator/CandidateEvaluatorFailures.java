package io.sluice.evaluator;

import io.sluice.schemas.avro.Action;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.PromotionDecision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The decision when evaluation itself throws: a REJECT with EVALUATION_FAILED, so one broken
 * candidate cannot stall its partition and the service keeps running.
 */
final class CandidateEvaluatorFailures {
  private CandidateEvaluatorFailures() {}

  static CandidateEvaluator.Outcome rejected(
      AdapterCandidate candidate, Exception error, Instant now) {
    GateReason reason =
        GateReason.of(
            ReasonCode.EVALUATION_FAILED,
            "evaluation failed: " + error.getClass().getSimpleName() + ": " + error.getMessage());
    EvaluationReport report =
        EvaluationReport.newBuilder()
            .setReportId(UUID.randomUUID().toString())
            .setCandidateId(candidate.getCandidateId())
            .setTenant(candidate.getTenant())
            .setTrack(candidate.getTrack())
            .setEvaluatedAt(now)
            .setDomainScores(Map.of())
            .setBaselineDomainScores(Map.of())
            .setGeneralScores(Map.of())
            .setBaselineGeneralScores(Map.of())
            .setHoldoutSize(0)
            .setChecks(List.of(reason.line()))
            .build();
    PromotionDecision decision =
        PromotionDecision.newBuilder()
            .setDecisionId(UUID.randomUUID().toString())
            .setCandidateId(candidate.getCandidateId())
            .setTenant(candidate.getTenant())
            .setTrack(candidate.getTrack())
            .setAction(Action.REJECT)
            .setReasons(List.of(reason.line()))
            .setDetails(List.of(reason.toAvro()))
            .setReportId(report.getReportId())
            .setActor("gate")
            .setDecidedAt(now)
            .setAdapterUri(candidate.getAdapterUri())
            .build();
    return new CandidateEvaluator.Outcome(
        report, decision, null, new PromotionGate.Decision(false, List.of(reason), null));
  }
}
