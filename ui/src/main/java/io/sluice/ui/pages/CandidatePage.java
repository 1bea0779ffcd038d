package io.sluice.ui.pages;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.OffsetRange;
import io.sluice.schemas.avro.PairedInterval;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.ui.AdapterFiles;
import io.sluice.ui.RegistryState.CandidateHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One adapter: the decision in words, its evaluation beside the champion's and the base's per task,
 * its training run (loss curve) and lineage, and links to its files.
 */
public final class CandidatePage {

  /** Most loss-curve points drawn; longer curves are thinned evenly. */
  static final int MAX_CURVE_POINTS = 400;

  private CandidatePage() {}

  /** The page body; {@code files} is the adapter's directory when the candidate event is held. */
  public static String body(CandidateHistory history, Optional<AdapterFiles> files) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<h1>Adapter <code id=\"adapter-id\">")
        .append(Html.esc(history.candidateId()))
        .append("</code></h1><p>Track ")
        .append(
            Html.link(
                Html.trackHref(history.tenant(), history.track()),
                history.tenant() + " / " + history.track()))
        .append("</p>");
    decisions(html, history.decisions());
    Optional<EvaluationReport> report =
        history.evaluations().isEmpty()
            ? Optional.empty()
            : Optional.of(history.evaluations().get(history.evaluations().size() - 1));
    report.ifPresentOrElse(
        r -> evaluation(html, r, history.decisions()),
        () -> html.append("<h2>Evaluation</h2><p>No evaluation report is held.</p>"));
    history
        .candidate()
        .ifPresentOrElse(
            c -> {
              training(html, c, files.flatMap(f -> f.json(AdapterFiles.TRAINING_REPORT)));
              lineage(html, c);
              files.ifPresent(f -> files(html, history.candidateId(), f));
            },
            () -> html.append("<h2>Training</h2><p>The candidate event is no longer held.</p>"));
    return html.toString();
  }

  private static void decisions(StringBuilder html, List<PromotionDecision> decisions) {
    html.append("<h2>Decision</h2>");
    if (decisions.isEmpty()) {
      html.append("<p id=\"decision\"><span class=\"badge waiting\">waiting</span> The evaluator")
          .append(" has not decided on this adapter yet.</p>");
      return;
    }
    for (PromotionDecision d : decisions) {
      html.append("<div class=\"decision\" data-action=\"")
          .append(Html.esc(d.getAction().name()))
          .append("\"><p>")
          .append(Html.badge(d.getAction().name()))
          .append(" ")
          .append(Html.time(d.getDecidedAt()))
          .append(" by ")
          .append(Html.esc(d.getActor()))
          .append(d.getManual() ? " (manual, overriding the gate)" : "")
          .append("</p>");
      html.append("<ul class=\"reasons\">");
      if (d.getDetails().isEmpty()) {
        d.getReasons().forEach(r -> html.append("<li>").append(Html.esc(r)).append("</li>"));
      }
      for (GateReason r : d.getDetails()) {
        html.append("<li class=\"reason\" data-code=\"")
            .append(Html.esc(r.getCode()))
            .append("\">")
            .append("<strong>")
            .append(Html.esc(ReasonWords.meaning(r.getCode())))
            .append("</strong> ")
            .append(Html.esc(r.getMessage()))
            .append(" <code>")
            .append(Html.esc(r.getCode()))
            .append("</code></li>");
      }
      html.append("</ul></div>");
    }
  }

  private static void evaluation(
      StringBuilder html, EvaluationReport r, List<PromotionDecision> decisions) {
    html.append("<h2>Evaluation</h2><p>Scored ")
        .append(Html.time(r.getEvaluatedAt()))
        .append(" against champion ")
        .append(
            r.getChampionId() == null
                ? "the bare base model"
                : Html.link(Html.candidateHref(r.getChampionId()), r.getChampionId()))
        .append(" on ")
        .append(r.getHoldoutSize())
        .append(" holdout items")
        .append(
            r.getHoldoutHash() == null
                ? ""
                : " (snapshot <code>" + Html.esc(shortHash(r.getHoldoutHash())) + "</code>)")
        .append(String.format(Locale.ROOT, ", in %.1f s.</p>", r.getSeconds()));
    String metric =
        r.getDomainMetric() == null ? TrackPage.DEFAULT_DOMAIN_METRIC : r.getDomainMetric();
    html.append("<h3>Domain (the track's holdout)</h3>")
        .append(
            "<table id=\"domain-scores\"><thead><tr><th>Metric</th><th>Base</th><th>Champion</th>")
        .append(
            "<th>Candidate</th><th>Δ vs champion</th><th>Bootstrap"
                + " interval</th></tr></thead><tbody>");
    for (String name : new TreeSet<>(r.getDomainScores().keySet())) {
      Double candidate = r.getDomainScores().get(name);
      Double champion = r.getBaselineDomainScores().get(name);
      html.append("<tr data-metric=\"")
          .append(Html.esc(name))
          .append("\"><td>")
          .append(
              name.equals(metric)
                  ? "<strong>" + Html.esc(name) + "</strong> (gate)"
                  : Html.esc(name))
          .append("</td>")
          .append(num(r.getBaseDomainScores().get(name)))
          .append(num(champion))
          .append(num(candidate))
          .append("<td class=\"num\">")
          .append(Html.delta(candidate, champion))
          .append("</td><td>")
          .append(name.equals(metric) ? interval(r.getDomainDifference()) : "")
          .append("</td></tr>");
    }
    html.append("</tbody></table>");
    generalTable(html, r, decisions);
    if (!r.getChecks().isEmpty()) {
      html.append("<h3>Load check and serving lint</h3><ul>");
      r.getChecks().forEach(c -> html.append("<li>").append(Html.esc(c)).append("</li>"));
      html.append("</ul>");
    }
  }

  private static void generalTable(
      StringBuilder html, EvaluationReport r, List<PromotionDecision> decisions) {
    html.append("<h3>General skills</h3><table id=\"general-scores\"><thead><tr><th>Task</th>")
        .append("<th>Base</th><th>Champion</th><th>Candidate</th><th>Δ vs champion</th>")
        .append("<th>Δ vs base</th><th>Gate</th></tr></thead><tbody>");
    TreeSet<String> tasks = new TreeSet<>(r.getGeneralScores().keySet());
    tasks.addAll(r.getBaselineGeneralScores().keySet());
    for (String task : tasks) {
      Double candidate = r.getGeneralScores().get(task);
      Double champion = r.getBaselineGeneralScores().get(task);
      Double base = r.getBaseGeneralScores().get(task);
      List<String> failed = new ArrayList<>();
      decisions.forEach(
          d ->
              d.getDetails().stream()
                  .filter(g -> task.equals(g.getTask()))
                  .forEach(g -> failed.add(g.getCode())));
      html.append("<tr data-task=\"")
          .append(Html.esc(task))
          .append("\"><td>")
          .append(Html.esc(task))
          .append("</td>")
          .append(num(base))
          .append(num(champion))
          .append(num(candidate))
          .append("<td class=\"num\">")
          .append(Html.delta(candidate, champion))
          .append("</td>")
          .append("<td class=\"num\">")
          .append(Html.delta(candidate, base))
          .append("</td><td>")
          .append(
              failed.isEmpty()
                  ? "<span class=\"good\">held</span>"
                  : "<span class=\"bad\">" + Html.esc(String.join(", ", failed)) + "</span>")
          .append("</td></tr>");
    }
    html.append("</tbody></table>");
  }

  private static String interval(PairedInterval d) {
    if (d == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "mean %+.3f, [%+.3f, %+.3f] at %.0f%% (%d resamples)",
        d.getMean(),
        d.getLower(),
        d.getUpper(),
        d.getConfidence() * 100,
        d.getResamples());
  }

  private static void training(StringBuilder html, AdapterCandidate c, Optional<JsonNode> report) {
    html.append("<h2>Training</h2><p>")
        .append(Html.esc(c.getObjective()))
        .append(", finished ")
        .append(Html.time(c.getCreatedAt()))
        .append(c.getDevice() == null ? "" : " on " + Html.esc(c.getDevice()))
        .append(".</p>");
    if (report.isPresent() && report.get().path("loss_curve").isArray()) {
      List<Double> curve = new ArrayList<>();
      report.get().path("loss_curve").forEach(v -> curve.add(v.asDouble()));
      List<SvgChart.Point> points =
          SvgChart.thin(curve, MAX_CURVE_POINTS).stream()
              .map(v -> new SvgChart.Point(v, "", "loss " + Html.score(v)))
              .toList();
      html.append("<div class=\"charts\">")
          .append(
              SvgChart.render(
                  "chart-loss",
                  "Training loss per step (" + curve.size() + " steps)",
                  "step",
                  List.of(new SvgChart.Series("loss", Map.of(), points, SvgChart.Shape.LINE)),
                  null))
          .append("</div>");
    } else {
      html.append("<p class=\"muted\">training_report.json is not readable from this machine;")
          .append(" the loss curve is in the adapter's directory.</p>");
    }
    html.append("<table id=\"training\"><tbody>");
    c.getMetrics().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                html.append("<tr><th>")
                    .append(Html.esc(e.getKey()))
                    .append("</th>")
                    .append(num(e.getValue()))
                    .append("</tr>"));
    c.getHyperparameters().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                html.append("<tr><th>")
                    .append(Html.esc(e.getKey()))
                    .append("</th><td>")
                    .append(Html.esc(e.getValue()))
                    .append("</td></tr>"));
    html.append("</tbody></table>");
  }

  private static void lineage(StringBuilder html, AdapterCandidate c) {
    long fromSources =
        c.getSources().stream().mapToLong(s -> s.getUntilOffset() - s.getFromOffset()).sum();
    html.append("<h2>Lineage</h2><table id=\"lineage\"><tbody>")
        .append(row("Window examples", Integer.toString(c.getExampleCount())))
        .append(row("Replayed earlier examples", Integer.toString(c.getReplayCount())))
        .append(row("Rehearsal (general) items", Integer.toString(c.getRehearsalCount())))
        .append(row("Truncated sequences", Integer.toString(c.getTruncatedCount())))
        .append(row("Base model", Html.esc(c.getBaseModel())))
        .append(row("Base weights SHA-256", code(c.getBaseModelSha256())))
        .append(row("Training set SHA-256", code(c.getTrainingSetSha256())))
        .append(
            row(
                "Parent adapter",
                c.getParentCandidateId() == null
                    ? "none (the base)"
                    : Html.link(
                        Html.candidateHref(c.getParentCandidateId()), c.getParentCandidateId())))
        .append(row("Window opened", Html.time(c.getWindowStartedAt())))
        .append("</tbody></table>");
    html.append("<p>The window spans ")
        .append(fromSources)
        .append(" offsets of the curated topic")
        .append(" (other tracks' and holdout records included), in ")
        .append(c.getSources().size())
        .append(c.getSources().size() == 1 ? " range:</p>" : " ranges:</p>")
        .append("<table id=\"sources\"><thead><tr>")
        .append("<th>Topic</th><th>Partition</th><th>From</th><th>Until</th></tr></thead><tbody>");
    for (OffsetRange s : c.getSources()) {
      html.append("<tr><td>")
          .append(Html.esc(s.getTopic()))
          .append("</td><td class=\"num\">")
          .append(s.getPartition())
          .append("</td><td class=\"num\">")
          .append(s.getFromOffset())
          .append("</td><td class=\"num\">")
          .append(s.getUntilOffset())
          .append("</td></tr>");
    }
    html.append("</tbody></table>");
  }

  private static void files(StringBuilder html, String candidateId, AdapterFiles files) {
    html.append("<h2>Files</h2><p><code>")
        .append(Html.esc(files.directory()))
        .append("</code></p>");
    List<AdapterFiles.AdapterFile> listed = files.list();
    if (listed.isEmpty()) {
      html.append(
          "<p class=\"muted\">The adapter's directory is not readable from this machine.</p>");
      return;
    }
    html.append("<ul id=\"files\">");
    for (AdapterFiles.AdapterFile f : listed) {
      html.append("<li>")
          .append(
              Html.link(
                  Html.candidateHref(candidateId) + "/files/" + Html.segment(f.name()), f.name()))
          .append(" <span class=\"muted\">")
          .append(f.bytes())
          .append(" bytes</span></li>");
    }
    html.append("</ul>");
  }

  private static String num(Double value) {
    return "<td class=\"num\">" + Html.score(value) + "</td>";
  }

  private static String row(String label, String valueHtml) {
    return "<tr><th>" + Html.esc(label) + "</th><td>" + valueHtml + "</td></tr>";
  }

  private static String code(String value) {
    return value == null
        ? "<span class=\"muted\">not recorded</span>"
        : "<code>" + Html.esc(value) + "</code>";
  }

  private static String shortHash(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
