package io.sluice.ui;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the pages show, held in memory: the latest registry entry of each track and the newest
 * decisions, evaluation reports and candidates, each topic within its cap ({@link UiConfig.Caps}).
 * One reader thread writes, request threads read; every method holds the object's lock, and queries
 * return copies.
 */
public final class RegistryState {

  private final UiConfig.Caps caps;
  private final Map<String, RegistryEntry> registry = new TreeMap<>();
  private final Map<String, PromotionDecision> decisions;
  private final Map<String, EvaluationReport> evaluations;
  private final Map<String, AdapterCandidate> candidates;
  private final Map<String, Long> leftOut = new TreeMap<>();

  public RegistryState(UiConfig.Caps caps) {
    this.caps = caps;
    this.decisions = newestFirstOut(caps.decisions(), Topics.ADAPTERS_DECISIONS.name());
    this.evaluations = newestFirstOut(caps.evaluations(), Topics.ADAPTERS_EVALUATIONS.name());
    this.candidates = newestFirstOut(caps.candidates(), Topics.ADAPTERS_CANDIDATES.name());
  }

  /** A track's records as the pages use them, oldest first. */
  public record TrackHistory(
      String tenant,
      String track,
      Optional<RegistryEntry> entry,
      List<PromotionDecision> decisions,
      List<EvaluationReport> evaluations,
      List<AdapterCandidate> candidates,
      List<AdapterCandidate> waiting) {

    /** The newest decision, if any is held. */
    public Optional<PromotionDecision> lastDecision() {
      return decisions.isEmpty()
          ? Optional.empty()
          : Optional.of(decisions.get(decisions.size() - 1));
    }
  }

  /** One adapter's records: its candidate event (if still held), reports and decisions. */
  public record CandidateHistory(
      String candidateId,
      Optional<AdapterCandidate> candidate,
      List<EvaluationReport> evaluations,
      List<PromotionDecision> decisions) {

    /** The tenant the adapter belongs to, from whichever of its records is held. */
    public String tenant() {
      return candidate
          .map(AdapterCandidate::getTenant)
          .or(() -> evaluations.stream().findFirst().map(EvaluationReport::getTenant))
          .orElseGet(() -> decisions.get(0).getTenant());
    }

    public String track() {
      return candidate
          .map(AdapterCandidate::getTrack)
          .or(() -> evaluations.stream().findFirst().map(EvaluationReport::getTrack))
          .orElseGet(() -> decisions.get(0).getTrack());
    }
  }

  /** The latest registry entry of a track; {@code null} (a tombstone) forgets the track. */
  public synchronized void putRegistry(String key, RegistryEntry entry) {
    if (entry == null) {
      registry.remove(key);
    } else if (registry.containsKey(key) || registry.size() < caps.tracks()) {
      registry.put(key, entry);
    } else {
      leftOut.merge(Topics.ADAPTERS_REGISTRY.name(), 1L, Long::sum);
    }
  }

  public synchronized void putDecision(PromotionDecision decision) {
    decisions.put(decision.getDecisionId(), decision);
  }

  public synchronized void putEvaluation(EvaluationReport report) {
    evaluations.put(report.getReportId(), report);
  }

  public synchronized void putCandidate(AdapterCandidate candidate) {
    candidates.put(candidate.getCandidateId(), candidate);
  }

  /** Records dropped by a cap, per topic (for the pages' footer and the API). */
  public synchronized Map<String, Long> leftOut() {
    return Map.copyOf(leftOut);
  }

  /** Every tenant/track any held record names, sorted, of the tenants {@code visible} allows. */
  public synchronized List<TrackHistory> tracks(Predicate<String> visible) {
    Map<String, List<PromotionDecision>> decided =
        byTrack(decisions.values(), d -> Topics.trackKey(d.getTenant(), d.getTrack()));
    Map<String, List<EvaluationReport>> evaluated =
        byTrack(evaluations.values(), r -> Topics.trackKey(r.getTenant(), r.getTrack()));
    Map<String, List<AdapterCandidate>> trained =
        byTrack(candidates.values(), c -> Topics.trackKey(c.getTenant(), c.getTrack()));
    TreeSet<String> keys = new TreeSet<>(registry.keySet());
    keys.addAll(decided.keySet());
    keys.addAll(evaluated.keySet());
    keys.addAll(trained.keySet());
    Predicate<AdapterCandidate> undecided = undecided();
    List<TrackHistory> tracks = new ArrayList<>();
    for (String key : keys) {
      if (visible.test(key.substring(0, key.indexOf('/')))) {
        tracks.add(
            history(
                key,
                decided.getOrDefault(key, List.of()),
                evaluated.getOrDefault(key, List.of()),
                trained.getOrDefault(key, List.of()),
                undecided));
      }
    }
    return tracks;
  }

  /** One track's records, or empty when no held record names it. */
  public synchronized Optional<TrackHistory> track(String tenant, String track) {
    String key = Topics.trackKey(tenant, track);
    TrackHistory history =
        history(
            key,
            decisions.values().stream()
                .filter(d -> key.equals(Topics.trackKey(d.getTenant(), d.getTrack())))
                .toList(),
            evaluations.values().stream()
                .filter(r -> key.equals(Topics.trackKey(r.getTenant(), r.getTrack())))
                .toList(),
            candidates.values().stream()
                .filter(c -> key.equals(Topics.trackKey(c.getTenant(), c.getTrack())))
                .toList(),
            undecided());
    boolean known =
        history.entry().isPresent()
            || !history.decisions().isEmpty()
            || !history.evaluations().isEmpty()
            || !history.candidates().isEmpty();
    return known ? Optional.of(history) : Optional.empty();
  }

  /** One adapter's records, or empty when none is held. */
  public synchronized Optional<CandidateHistory> candidate(String candidateId) {
    List<EvaluationReport> reports =
        evaluations.values().stream()
            .filter(r -> r.getCandidateId().equals(candidateId))
            .sorted(Comparator.comparing(EvaluationReport::getEvaluatedAt))
            .toList();
    List<PromotionDecision> decided =
        decisions.values().stream()
            .filter(d -> d.getCandidateId().equals(candidateId))
            .sorted(Comparator.comparing(PromotionDecision::getDecidedAt))
            .toList();
    Optional<AdapterCandidate> candidate = Optional.ofNullable(candidates.get(candidateId));
    if (candidate.isEmpty() && reports.isEmpty() && decided.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new CandidateHistory(candidateId, candidate, reports, decided));
  }

  private TrackHistory history(
      String key,
      List<PromotionDecision> trackDecisions,
      List<EvaluationReport> reports,
      List<AdapterCandidate> trackCandidates,
      Predicate<AdapterCandidate> undecided) {
    List<AdapterCandidate> trained =
        trackCandidates.stream()
            .sorted(Comparator.comparing(AdapterCandidate::getCreatedAt))
            .toList();
    return new TrackHistory(
        key.substring(0, key.indexOf('/')),
        key.substring(key.indexOf('/') + 1),
        Optional.ofNullable(registry.get(key)),
        trackDecisions.stream()
            .sorted(Comparator.comparing(PromotionDecision::getDecidedAt))
            .toList(),
        reports.stream().sorted(Comparator.comparing(EvaluationReport::getEvaluatedAt)).toList(),
        trained,
        trained.stream().filter(undecided).toList());
  }

  private static <T> Map<String, List<T>> byTrack(Collection<T> records, Function<T, String> key) {
    return records.stream().collect(Collectors.groupingBy(key));
  }

  /**
   * No held decision names the candidate, and none could have been dropped by the cap: a candidate
   * older than every held decision, once decisions were dropped, may have had its decision dropped.
   * Built once per query, so a page costs one pass over each topic's records.
   */
  private Predicate<AdapterCandidate> undecided() {
    Set<String> decided =
        decisions.values().stream()
            .map(PromotionDecision::getCandidateId)
            .collect(Collectors.toSet());
    boolean dropped = leftOut.containsKey(Topics.ADAPTERS_DECISIONS.name());
    Instant oldestHeld =
        decisions.values().stream()
            .map(PromotionDecision::getDecidedAt)
            .min(Comparator.naturalOrder())
            .orElse(Instant.MAX);
    return candidate ->
        !decided.contains(candidate.getCandidateId())
            && (!dropped || !candidate.getCreatedAt().isBefore(oldestHeld));
  }

  /** An insertion-ordered map that drops its oldest entry past {@code cap}, counting the drop. */
  private <V> Map<String, V> newestFirstOut(int cap, String topic) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        if (size() <= cap) {
          return false;
        }
        leftOut.merge(topic, 1L, Long::sum);
        return true;
      }
    };
  }
}
