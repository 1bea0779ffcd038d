package io.sluice.ui.pages;

import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.ui.RegistryState.TrackHistory;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;

/** Every visible tenant/track: its champion, the candidates waiting and the last decision. */
public final class TracksPage {

  private TracksPage() {}

  /**
   * The page body.
   *
   * @param tenants every tenant the viewer may see, for the filter
   * @param selected the tenant filtered on, or null for all
   */
  public static String body(List<TrackHistory> tracks, SortedSet<String> tenants, String selected) {
    StringBuilder html = new StringBuilder(4096);
    html.append("<h1>Tracks</h1>");
    html.append("<form method=\"get\" action=\"/tracks\" id=\"tenant-filter\">")
        .append("<label>Tenant <select name=\"tenant\"><option value=\"\">all</option>");
    for (String tenant : tenants) {
      html.append("<option value=\"")
          .append(Html.esc(tenant))
          .append("\"")
          .append(tenant.equals(selected) ? " selected" : "")
          .append(">")
          .append(Html.esc(tenant))
          .append("</option>");
    }
    html.append("</select></label> <button type=\"submit\">Filter</button></form>");
    if (tracks.isEmpty()) {
      return html.append("<p id=\"no-tracks\">No track has a candidate, decision or registry entry")
          .append(" yet.</p>")
          .toString();
    }
    html.append("<table id=\"tracks\"><thead><tr><th>Tenant</th><th>Track</th><th>Champion</th>")
        .append("<th>Version</th><th>Promoted</th><th>By decision</th><th>Waiting</th>")
        .append("<th>Last decision</th></tr></thead><tbody>");
    for (TrackHistory track : tracks) {
      row(html, track);
    }
    return html.append("</tbody></table>").toString();
  }

  private static void row(StringBuilder html, TrackHistory track) {
    AdapterRef champion = track.entry().map(e -> e.getActive()).orElse(null);
    html.append("<tr data-tenant=\"")
        .append(Html.esc(track.tenant()))
        .append("\" data-track=\"")
        .append(Html.esc(track.track()))
        .append("\"><td>")
        .append(Html.esc(track.tenant()))
        .append("</td><td>")
        .append(Html.link(Html.trackHref(track.tenant(), track.track()), track.track()))
        .append("</td><td class=\"champion\">");
    if (champion == null) {
      html.append("<span class=\"muted\">base model</span>");
    } else {
      html.append(
          Html.link(Html.candidateHref(champion.getCandidateId()), champion.getCandidateId()));
    }
    html.append("</td><td class=\"num\">")
        .append(track.entry().map(e -> Integer.toString(e.getVersion())).orElse("–"))
        .append("</td><td>")
        .append(champion == null ? "" : Html.time(champion.getPromotedAt()))
        .append("</td><td><code>")
        .append(champion == null ? "" : Html.esc(champion.getDecisionId()))
        .append("</code></td><td class=\"waiting-count\">");
    for (var candidate : track.waiting()) {
      html.append(
              Html.link(Html.candidateHref(candidate.getCandidateId()), candidate.getCandidateId()))
          .append(" <span class=\"badge waiting\">waiting</span><br>");
    }
    html.append("</td><td class=\"last-decision\">");
    track.lastDecision().ifPresent(d -> lastDecision(html, d));
    html.append("</td></tr>");
  }

  private static void lastDecision(StringBuilder html, PromotionDecision d) {
    html.append(Html.badge(d.getAction().name()))
        .append(" ")
        .append(Html.link(Html.candidateHref(d.getCandidateId()), d.getCandidateId()))
        .append("<br><span class=\"muted\">")
        .append(Html.time(d.getDecidedAt()))
        .append("</span> ")
        .append(
            Html.esc(
                d.getDetails().stream()
                    .map(GateReason::getCode)
                    .distinct()
                    .collect(Collectors.joining(", "))));
  }
}
