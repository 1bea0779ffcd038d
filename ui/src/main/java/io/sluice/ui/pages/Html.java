package io.sluice.ui.pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Escaping and formatting shared by the pages: every value from a topic goes through here. */
public final class Html {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Html() {}

  /** Text safe inside elements and quoted attributes. */
  public static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A path segment: tenant, track and adapter names may hold characters a URL reserves. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public static String time(Instant instant) {
    return instant == null ? "" : TIME.format(instant);
  }

  /** A score with three decimals, or a dash when absent. */
  public static String score(Double value) {
    return value == null || value.isNaN() ? "–" : String.format(Locale.ROOT, "%.3f", value);
  }

  /** A difference with its sign, or a dash when either side is absent. */
  public static String delta(Double to, Double from) {
    if (to == null || from == null) {
      return "–";
    }
    return String.format(Locale.ROOT, "%+.3f", to - from);
  }

  public static String trackHref(String tenant, String track) {
    return "/tracks/" + segment(tenant) + "/" + segment(track);
  }

  public static String candidateHref(String candidateId) {
    return "/candidates/" + segment(candidateId);
  }

  /** A link whose text and target are escaped. */
  public static String link(String href, String text) {
    return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
  }

  /** An action (PROMOTE, REJECT, ROLLBACK) as a coloured badge. */
  public static String badge(String action) {
    return "<span class=\"badge "
        + esc(action.toLowerCase(Locale.ROOT))
        + "\">"
        + esc(action)
        + "</span>";
  }
}
