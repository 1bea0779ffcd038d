package io.sluice.ui.pages;

import io.sluice.ui.Viewer;
import java.util.Map;

/**
 * The frame of every page: title, navigation, the access notice and a footer with what the caps
 * left out. Styles are inline and there is no script: nothing is fetched from elsewhere.
 */
public final class Layout {

  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
      header{background:#1f2937;color:#fff;padding:10px 24px}
      header{display:flex;gap:24px;align-items:center}
      header a{color:#fff;text-decoration:none;font-weight:600}
      main{padding:16px 24px;max-width:1280px}
      h1{font-size:22px;margin:8px 0 12px}h2{font-size:17px;margin:22px 0 8px}
      table{border-collapse:collapse;background:#fff;margin:4px 0 12px}
      th,td{border:1px solid #d6dae0;padding:4px 8px;text-align:left;vertical-align:top}
      th{background:#eef1f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
      .badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600}
      .promote{background:#d1fae5;color:#065f46}.reject{background:#fee2e2;color:#991b1b}
      .rollback{background:#fef3c7;color:#92400e}.waiting{background:#e0e7ff;color:#3730a3}
      .notice{background:#fff7d6;border:1px solid #e8c95a;padding:6px 10px;margin:0 0 12px}
      .muted{color:#6b7280}.bad{color:#b91c1c;font-weight:600}.good{color:#047857}
      code{font-size:12px}.charts{display:flex;flex-wrap:wrap;gap:12px}
      figure.chart{margin:0;background:#fff;border:1px solid #d6dae0;padding:6px}
      figcaption{font-weight:600;font-size:13px}ul.reasons{margin:4px 0 12px;padding-left:20px}
      footer{padding:12px 24px;color:#6b7280;font-size:12px}
      """;

  private Layout() {}

  /**
   * A whole page.
   *
   * @param viewer whose page it is: an open UI says so on every page
   * @param leftOut records dropped by the caps, per topic
   */
  public static String page(String title, Viewer viewer, Map<String, Long> leftOut, String body) {
    return frame(title, viewer.isOpen() ? Frame.OPEN : Frame.SIGNED_IN, leftOut, body);
  }

  /** A page for a visitor who has not signed in (no notice, no sign-out link). */
  public static String signedOut(String title, String body) {
    return frame(title, Frame.SIGNED_OUT, Map.of(), body);
  }

  private enum Frame {
    OPEN,
    SIGNED_IN,
    SIGNED_OUT
  }

  private static String frame(String title, Frame frame, Map<String, Long> leftOut, String body) {
    StringBuilder html = new StringBuilder(body.length() + 4096);
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>")
        .append(Html.esc(title))
        .append(" · Sluice</title><style>")
        .append(STYLE)
        .append("</style></head><body>")
        .append("<header><a href=\"/tracks\">Sluice registry</a><a href=\"/tracks\">Tracks</a>")
        .append(frame == Frame.SIGNED_IN ? "<a href=\"/logout\">Sign out</a>" : "")
        .append("</header><main>");
    if (frame == Frame.OPEN) {
      html.append("<p class=\"notice\" id=\"open-access\">No API keys are configured")
          .append(" (<code>ui.api.keys</code>): every tenant is shown to anyone who can reach")
          .append(" this page.</p>");
    }
    html.append(body)
        .append("</main><footer>Read-only. Built from the topics")
        .append(" sluice.adapters.registry, .decisions, .evaluations and .candidates.");
    leftOut.forEach(
        (topic, count) ->
            html.append(" ")
                .append(count)
                .append(" older records of ")
                .append(Html.esc(topic))
                .append(" are not held (cap)."));
    return html.append("</footer></body></html>").toString();
  }
}
