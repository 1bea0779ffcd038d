package io.sluice.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.ui.RegistryState.CandidateHistory;
import io.sluice.ui.RegistryState.TrackHistory;
import io.sluice.ui.pages.Html;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON behind every page, for other tools: the same records the pages show, in the plain JSON
 * form of {@link AvroJson} (unions unwrapped, timestamps ISO-8601).
 */
final class UiApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private UiApi() {}

  /** GET /api/tracks: one summary per visible track. */
  static ObjectNode tracks(List<TrackHistory> tracks, boolean open, Map<String, Long> leftOut) {
    ObjectNode root = JSON.createObjectNode();
    root.put("open", open);
    ArrayNode list = root.putArray("tracks");
    for (TrackHistory track : tracks) {
      ObjectNode row = list.addObject();
      row.put("tenant", track.tenant());
      row.put("track", track.track());
      AdapterRef champion = track.entry().map(e -> e.getActive()).orElse(null);
      if (champion == null) {
        row.putNull("champion");
      } else {
        row.set("champion", AvroJson.toJson(champion));
      }
      track
          .entry()
          .ifPresentOrElse(
              e -> row.put("registryVersion", e.getVersion()),
              () -> row.putNull("registryVersion"));
      ArrayNode waiting = row.putArray("waiting");
      track.waiting().forEach(c -> waiting.add(c.getCandidateId()));
      Optional<PromotionDecision> last = track.lastDecision();
      if (last.isEmpty()) {
        row.putNull("lastDecision");
      } else {
        ObjectNode decision = row.putObject("lastDecision");
        decision.put("decisionId", last.get().getDecisionId());
        decision.put("candidateId", last.get().getCandidateId());
        decision.put("action", last.get().getAction().name());
        decision.put("decidedAt", last.get().getDecidedAt().toString());
        ArrayNode codes = decision.putArray("codes");
        last.get().getDetails().stream().map(GateReason::getCode).distinct().forEach(codes::add);
      }
    }
    root.set("leftOut", JSON.valueToTree(leftOut));
    return root;
  }

  /** GET /api/tracks/{tenant}/{track}: the registry entry and every held record of the track. */
  static ObjectNode track(TrackHistory track) {
    ObjectNode root = JSON.createObjectNode();
    root.put("tenant", track.tenant());
    root.put("track", track.track());
    track
        .entry()
        .ifPresentOrElse(
            e -> root.set("registry", AvroJson.toJson(e)), () -> root.putNull("registry"));
    ArrayNode decisions = root.putArray("decisions");
    track.decisions().forEach(d -> decisions.add(AvroJson.toJson(d)));
    ArrayNode evaluations = root.putArray("evaluations");
    track.evaluations().forEach(r -> evaluations.add(AvroJson.toJson(r)));
    ArrayNode candidates = root.putArray("candidates");
    track.candidates().forEach(c -> candidates.add(AvroJson.toJson(c)));
    ArrayNode waiting = root.putArray("waiting");
    track.waiting().forEach(c -> waiting.add(c.getCandidateId()));
    return root;
  }

  /** GET /api/candidates/{id}: candidate, reports, decisions, and the files readable from here. */
  static ObjectNode candidate(CandidateHistory history, Optional<AdapterFiles> files) {
    ObjectNode root = JSON.createObjectNode();
    root.put("candidateId", history.candidateId());
    root.put("tenant", history.tenant());
    root.put("track", history.track());
    Optional<AdapterCandidate> candidate = history.candidate();
    candidate.ifPresentOrElse(
        c -> root.set("candidate", AvroJson.toJson(c)), () -> root.putNull("candidate"));
    ArrayNode evaluations = root.putArray("evaluations");
    history.evaluations().forEach(r -> evaluations.add(AvroJson.toJson(r)));
    ArrayNode decisions = root.putArray("decisions");
    history.decisions().forEach(d -> decisions.add(AvroJson.toJson(d)));
    root.set(
        "trainingReport", files.flatMap(f -> f.json(AdapterFiles.TRAINING_REPORT)).orElse(null));
    root.set("lineage", files.flatMap(f -> f.json(AdapterFiles.LINEAGE)).orElse(null));
    ArrayNode listed = root.putArray("files");
    files.ifPresent(
        f ->
            f.list()
                .forEach(
                    file ->
                        listed
                            .addObject()
                            .put("name", file.name())
                            .put("bytes", file.bytes())
                            .put(
                                "href",
                                Html.candidateHref(history.candidateId())
                                    + "/files/"
                                    + Html.segment(file.name()))));
    return root;
  }
}
