package io.sluice.ui.pages;

import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import io.sluice.ui.RegistryState.TrackHistory;
import io.sluice.ui.UiConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * One track: who serves it, the history of decisions that led there (promotions, rejections, manual
 * promotes and rollbacks, each with its reasons), the scores of every evaluation over time and the
 * candidates.
 */
public final class TrackPage {

  /** The gate's domain metric when a report predates the {@code domainMetric} field. */
  static final String DEFAULT_DOMAIN_METRIC = "gate_score";

  private TrackPage() {}

  /**
   * The page body. Each skill chart shades the forgetting budget under the base score: per
   * evaluation, the budget its report says the gate applied, or {@code budgetOverride} when set.
   */
  public static String body(TrackHistory track, OptionalDouble budgetOverride) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<h1>")
        .append(Html.esc(track.tenant()))
        .append(" / ")
        .append(Html.esc(track.track()))
        .append("</h1>");
    champion(html, track.entry().orElse(null));
    timeline(html, track.decisions());
    html.append("<h2>Scores over evaluations</h2>");
    charts(html, track, budgetOverride);
    candidates(html, track);
    return html.toString();
  }

  private static void champion(StringBuilder html, RegistryEntry entry) {
    html.append("<h2>Champion</h2><p id=\"champion\">");
    if (entry == null || entry.getActive() == null) {
      html.append("The bare base model serves this track");
      if (entry != null) {
        html.append(" (registry version ").append(entry.getVersion()).append(")");
      }
      html.append(".</p>");
    } else {
      AdapterRef active = entry.getActive();
      html.append(Html.link(Html.candidateHref(active.getCandidateId()), active.getCandidateId()))
          .append(" serves this track: registry version ")
          .append(entry.getVersion())
          .append(", promoted ")
          .append(Html.time(active.getPromotedAt()))
          .append(" by decision <code>")
          .append(Html.esc(active.getDecisionId()))
          .append("</code>")
          .append(entry.getActor() == null ? "" : " (" + Html.esc(entry.getActor()) + ")")
          .append(".</p>");
    }
    if (entry != null && !entry.getHistory().isEmpty()) {
      html.append("<p>Earlier champions, newest first: ");
      List<String> earlier = new ArrayList<>();
      for (AdapterRef ref : entry.getHistory()) {
        earlier.add(
            Html.link(Html.candidateHref(ref.getCandidateId()), ref.getCandidateId())
                + " <span class=\"muted\">(from "
                + Html.time(ref.getPromotedAt())
                + ")</span>");
      }
      html.append(String.join(", ", earlier)).append(".</p>");
    }
  }

  private static void timeline(StringBuilder html, List<PromotionDecision> decisions) {
    html.append("<h2>Decisions</h2>");
    if (decisions.isEmpty()) {
      html.append("<p>No decision yet.</p>");
      return;
    }
    html.append("<table id=\"timeline\"><thead><tr><th>When</th><th>Decision</th><th>Adapter</th>")
        .append("<th>By</th><th>Reasons</th></tr></thead><tbody>");
    for (int i = decisions.size() - 1; i >= 0; i--) {
      PromotionDecision d = decisions.get(i);
      html.append("<tr class=\"decision ")
          .append(d.getAction().name().toLowerCase(Locale.ROOT))
          .append("\"><td>")
          .append(Html.time(d.getDecidedAt()))
          .append("</td><td>")
          .append(Html.badge(d.getAction().name()))
          .append(d.getManual() ? " <span class=\"muted\">manual</span>" : "")
          .append(
              d.getRegistryVersion() == null
                  ? ""
                  : "<br><span class=\"muted\">registry v" + d.getRegistryVersion() + "</span>")
          .append("</td><td>")
          .append(Html.link(Html.candidateHref(d.getCandidateId()), d.getCandidateId()))
          .append("</td><td>")
          .append(Html.esc(d.getActor()))
          .append("</td><td>");
      reasons(html, d);
      html.append("</td></tr>");
    }
    html.append("</tbody></table>");
  }

  /** Each reason as its code and its sentence with the numbers (the decision's own words). */
  static void reasons(StringBuilder html, PromotionDecision d) {
    html.append("<ul class=\"reasons\">");
    if (d.getDetails().isEmpty()) {
      d.getReasons().forEach(r -> html.append("<li>").append(Html.esc(r)).append("</li>"));
    }
    for (GateReason r : d.getDetails()) {
      html.append("<li class=\"reason\" data-code=\"")
          .append(Html.esc(r.getCode()))
          .append("\"><code>")
          .append(Html.esc(r.getCode()))
          .append("</code> ")
          .append(Html.esc(r.getMessage()))
          .append("</li>");
    }
    html.append("</ul>");
  }

  private static void charts(
      StringBuilder html, TrackHistory track, OptionalDouble budgetOverride) {
    List<EvaluationReport> reports = track.evaluations();
    if (reports.isEmpty()) {
      html.append("<p>No evaluation yet.</p>");
      return;
    }
    Map<String, String> outcome = new HashMap<>();
    track.decisions().forEach(d -> outcome.put(d.getCandidateId(), d.getAction().name()));
    List<Double> budgets = new ArrayList<>();
    reports.forEach(r -> budgets.add(budgetOf(r, budgetOverride)));
    html.append("<p class=\"muted\">One position per evaluation, oldest left. Points are")
        .append(" candidates (green promoted, red rejected), the black line the champion they")
        .append(" faced, the dashed line the base model. ")
        .append(Html.esc(budgetLegend(budgets, budgetOverride)))
        .append("</p>")
        .append("<div class=\"charts\">");
    String metric =
        reports.get(reports.size() - 1).getDomainMetric() == null
            ? DEFAULT_DOMAIN_METRIC
            : reports.get(reports.size() - 1).getDomainMetric();
    html.append(
        SvgChart.render(
            "chart-domain",
            "Domain: " + metric,
            "evaluation",
            roles(
                reports,
                outcome,
                Map.of("metric", metric),
                r -> r.getDomainScores(),
                r -> r.getBaselineDomainScores(),
                r -> r.getBaseDomainScores(),
                metric),
            null));
    TreeSet<String> skills = new TreeSet<>();
    reports.forEach(r -> skills.addAll(r.getGeneralScores().keySet()));
    for (String skill : skills) {
      List<Double> high = new ArrayList<>();
      List<Double> low = new ArrayList<>();
      for (int i = 0; i < reports.size(); i++) {
        Double base = reports.get(i).getBaseGeneralScores().get(skill);
        Double budget = budgets.get(i);
        boolean shaded = base != null && budget != null;
        high.add(shaded ? base : null);
        low.add(shaded ? base - budget : null);
      }
      SvgChart.Band band =
          high.stream().allMatch(Objects::isNull)
              ? null
              : new SvgChart.Band("forgetting budget: base − " + range(budgets), low, high);
      html.append(
          SvgChart.render(
              "chart-skill-" + skill,
              "Skill: " + skill,
              "evaluation",
              roles(
                  reports,
                  outcome,
                  Map.of("skill", skill),
                  r -> r.getGeneralScores(),
                  r -> r.getBaselineGeneralScores(),
                  r -> r.getBaseGeneralScores(),
                  skill),
              band));
    }
    html.append("</div>");
  }

  /** The budget the gate judged {@code report} with, unless the UI is told another one. */
  private static Double budgetOf(EvaluationReport report, OptionalDouble budgetOverride) {
    return budgetOverride.isPresent()
        ? Double.valueOf(budgetOverride.getAsDouble())
        : report.getForgettingBudget();
  }

  /** Where the band's width comes from, in words; null budgets are evaluations without a band. */
  private static String budgetLegend(List<Double> budgets, OptionalDouble budgetOverride) {
    if (budgetOverride.isPresent()) {
      return "The shaded band under the base is the forgetting budget set on this UI ("
          + UiConfig.FORGETTING_BUDGET_CONFIG
          + " "
          + Html.score(budgetOverride.getAsDouble())
          + "), whatever the evaluator applied.";
    }
    if (budgets.stream().allMatch(Objects::isNull)) {
      return "No report here records the forgetting budget it was judged with (evaluators before"
          + " the field, or failed evaluations), so no band is drawn; set "
          + UiConfig.FORGETTING_BUDGET_CONFIG
          + " to draw one.";
    }
    String legend =
        "The shaded band under the base is the forgetting budget each evaluation was judged with ("
            + range(budgets)
            + ").";
    return budgets.contains(null)
        ? legend + " Evaluations whose report records no budget have no band."
        : legend;
  }

  /** {@code 0.050}, or {@code 0.030 to 0.050} when the evaluations used several budgets. */
  private static String range(List<Double> budgets) {
    TreeSet<Double> known = new TreeSet<>();
    budgets.stream().filter(Objects::nonNull).forEach(known::add);
    if (known.isEmpty()) {
      return "–";
    }
    return known.size() == 1
        ? Html.score(known.first())
        : Html.score(known.first()) + " to " + Html.score(known.last());
  }

  /**
   * Candidate, champion and base series of one metric; the candidate's group carries {@code tag}.
   */
  private static List<SvgChart.Series> roles(
      List<EvaluationReport> reports,
      Map<String, String> outcome,
      Map<String, String> tag,
      java.util.function.Function<EvaluationReport, Map<String, Double>> candidate,
      java.util.function.Function<EvaluationReport, Map<String, Double>> champion,
      java.util.function.Function<EvaluationReport, Map<String, Double>> base,
      String key) {
    List<SvgChart.Point> candidatePoints = new ArrayList<>();
    List<SvgChart.Point> championPoints = new ArrayList<>();
    List<SvgChart.Point> basePoints = new ArrayList<>();
    for (EvaluationReport r : reports) {
      String action = outcome.getOrDefault(r.getCandidateId(), "undecided");
      Double value = candidate.apply(r).get(key);
      candidatePoints.add(
          new SvgChart.Point(
              value,
              action.toLowerCase(Locale.ROOT),
              r.getCandidateId()
                  + " "
                  + action
                  + " "
                  + key
                  + " "
                  + Html.score(value)
                  + " ("
                  + Html.time(r.getEvaluatedAt())
                  + ")"));
      championPoints.add(new SvgChart.Point(champion.apply(r).get(key), "", "champion"));
      basePoints.add(new SvgChart.Point(base.apply(r).get(key), "", "base model"));
    }
    return List.of(
        new SvgChart.Series("base", Map.of(), basePoints, SvgChart.Shape.STEPS),
        new SvgChart.Series("champion", Map.of(), championPoints, SvgChart.Shape.STEPS),
        new SvgChart.Series("candidate", tag, candidatePoints, SvgChart.Shape.POINTS));
  }

  private static void candidates(StringBuilder html, TrackHistory track) {
    html.append("<h2>Candidates</h2>");
    if (track.candidates().isEmpty()) {
      html.append("<p>No candidate event is held for this track.</p>");
      return;
    }
    html.append("<table id=\"candidates\"><thead><tr><th>Adapter</th><th>Trained</th>")
        .append("<th>Objective</th><th>Examples</th><th>Status</th></tr></thead><tbody>");
    Map<String, String> outcome = new HashMap<>();
    track.decisions().forEach(d -> outcome.put(d.getCandidateId(), d.getAction().name()));
    for (int i = track.candidates().size() - 1; i >= 0; i--) {
      AdapterCandidate c = track.candidates().get(i);
      String status = outcome.get(c.getCandidateId());
      html.append("<tr><td>")
          .append(Html.link(Html.candidateHref(c.getCandidateId()), c.getCandidateId()))
          .append("</td><td>")
          .append(Html.time(c.getCreatedAt()))
          .append("</td><td>")
          .append(Html.esc(c.getObjective()))
          .append("</td><td class=\"num\">")
          .append(c.getExampleCount())
          .append("</td><td>")
          .append(
              status != null
                  ? Html.badge(status)
                  : track.waiting().contains(c)
                      ? "<span class=\"badge waiting\">waiting</span>"
                      : "")
          .append("</td></tr>");
    }
    html.append("</tbody></table>");
  }
}
