package io.sluice.ui.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small line chart rendered on the server as SVG: x is a position (evaluation order, training
 * step), y a score. No script and no fonts beyond the page's, so it shows offline and prints.
 */
public final class SvgChart {

  static final int WIDTH = 300;
  static final int HEIGHT = 170;
  private static final int LEFT = 44;
  private static final int RIGHT = 8;
  private static final int TOP = 8;
  private static final int BOTTOM = 22;

  /**
   * One point; {@code value} null leaves a gap.
   *
   * @param cssClass extra class of the point's marker (e.g. the decision it led to)
   * @param tooltip shown on hover (an SVG title)
   */
  public record Point(Double value, String cssClass, String tooltip) {}

  /**
   * One line of the chart.
   *
   * @param role candidate, champion, base or loss: its class and colour
   * @param attributes extra data-* attributes of the series' group (e.g. data-skill)
   * @param shape how the points are drawn
   */
  public record Series(
      String role, Map<String, String> attributes, List<Point> points, Shape shape) {}

  /** Points joined by a line (candidates), steps (references such as the champion), a line. */
  public enum Shape {
    POINTS,
    STEPS,
    LINE
  }

  /**
   * A shaded area between two values per position (e.g. the forgetting budget under the base); a
   * position whose low or high is null is left unshaded.
   */
  public record Band(String label, List<Double> low, List<Double> high) {}

  private static final Map<String, String> COLOURS =
      Map.of("candidate", "#2563eb", "champion", "#111827", "base", "#9ca3af", "loss", "#7c3aed");

  private SvgChart() {}

  /**
   * The chart as an SVG element with its title; {@code id} names it for links and tests.
   *
   * @param xAxis what a position is (evaluation, step)
   * @param band shaded area, or null
   */
  public static String render(
      String id, String title, String xAxis, List<Series> series, Band band) {
    int positions = series.stream().mapToInt(s -> s.points().size()).max().orElse(0);
    double[] range = range(series, band);
    Scale scale = new Scale(positions, range[0], range[1]);
    StringBuilder svg = new StringBuilder(2048);
    svg.append("<figure class=\"chart\" id=\"")
        .append(Html.esc(id))
        .append("\"><figcaption>")
        .append(Html.esc(title))
        .append("</figcaption>")
        .append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0"
                    + " %d %d\" role=\"img\" aria-label=\"%s\">",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT,
                Html.esc(title)));
    axes(svg, scale, xAxis);
    if (band != null) {
      band(svg, scale, band);
    }
    for (Series s : series) {
      series(svg, scale, s);
    }
    return svg.append("</svg></figure>").toString();
  }

  private static double[] range(List<Series> series, Band band) {
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    List<Double> values = new ArrayList<>();
    series.forEach(s -> s.points().forEach(p -> values.add(p.value())));
    if (band != null) {
      values.addAll(band.low());
      values.addAll(band.high());
    }
    for (Double v : values) {
      if (v != null && Double.isFinite(v)) {
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
    }
    if (low > high) {
      return new double[] {0, 1};
    }
    double pad = high - low < 1e-9 ? Math.max(0.05, Math.abs(high) * 0.05) : (high - low) * 0.08;
    return new double[] {low - pad, high + pad};
  }

  /** Position i owns the slot [i, i + 1) of the plot's width, its point in the middle. */
  private record Scale(int positions, double low, double high) {
    double slot() {
      return (double) (WIDTH - LEFT - RIGHT) / Math.max(1, positions);
    }

    double x(int i) {
      return LEFT + slot() * (i + 0.5);
    }

    double y(double v) {
      return TOP + (HEIGHT - TOP - BOTTOM) * (high - v) / (high - low);
    }
  }

  private static void axes(StringBuilder svg, Scale scale, String xAxis) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<g class=\"axes\" stroke=\"#d6dae0\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>",
            LEFT,
            TOP,
            LEFT,
            HEIGHT - BOTTOM,
            LEFT,
            HEIGHT - BOTTOM,
            WIDTH - RIGHT,
            HEIGHT - BOTTOM));
    for (double v : new double[] {scale.low(), (scale.low() + scale.high()) / 2, scale.high()}) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\""
                  + " fill=\"#6b7280\">%s</text>",
              LEFT - 4,
              scale.y(v) + 3,
              label(v)));
    }
    int last = Math.max(1, scale.positions());
    String tick =
        "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"%s\""
            + " fill=\"#6b7280\">%s</text>";
    svg.append(String.format(Locale.ROOT, tick, LEFT, HEIGHT - 6, "start", Html.esc(xAxis) + " 1"));
    if (last > 1) {
      svg.append(
          String.format(
              Locale.ROOT, tick, WIDTH - RIGHT, HEIGHT - 6, "end", Integer.toString(last)));
    }
  }

  private static String label(double v) {
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * The band as steps: each position's low and high hold across its slot. A position without both
   * values (null) has no band, so the band is one polygon per run of positions that have one.
   */
  private static void band(StringBuilder svg, Scale scale, Band band) {
    int n = Math.min(band.low().size(), band.high().size());
    int runStart = -1;
    for (int i = 0; i <= n; i++) {
      boolean present = i < n && band.low().get(i) != null && band.high().get(i) != null;
      if (present && runStart < 0) {
        runStart = i;
      } else if (!present && runStart >= 0) {
        bandRun(svg, scale, band, runStart, i);
        runStart = -1;
      }
    }
  }

  /** One polygon over positions {@code from} (inclusive) to {@code to} (exclusive). */
  private static void bandRun(StringBuilder svg, Scale scale, Band band, int from, int to) {
    StringBuilder upper = new StringBuilder();
    StringBuilder lower = new StringBuilder();
    for (int i = from; i < to; i++) {
      double left = scale.x(i) - scale.slot() / 2;
      double right = scale.x(i) + scale.slot() / 2;
      upper
          .append(point(left, scale.y(band.high().get(i))))
          .append(point(right, scale.y(band.high().get(i))));
      lower.insert(
          0, point(right, scale.y(band.low().get(i))) + point(left, scale.y(band.low().get(i))));
    }
    svg.append(
            "<polygon class=\"band\" fill=\"#10b981\" fill-opacity=\"0.15\" stroke=\"none\""
                + " points=\"")
        .append(upper)
        .append(lower)
        .append("\"><title>")
        .append(Html.esc(band.label()))
        .append("</title></polygon>");
  }

  private static void series(StringBuilder svg, Scale scale, Series s) {
    String colour = COLOURS.getOrDefault(s.role(), "#374151");
    svg.append("<g class=\"series ").append(Html.esc(s.role())).append("\"");
    s.attributes()
        .forEach(
            (name, value) ->
                svg.append(" data-")
                    .append(Html.esc(name))
                    .append("=\"")
                    .append(Html.esc(value))
                    .append("\""));
    svg.append(">");
    StringBuilder line = new StringBuilder();
    List<Point> points = s.points();
    for (int i = 0; i < points.size(); i++) {
      Double v = points.get(i).value();
      if (v != null && Double.isFinite(v)) {
        if (s.shape() == Shape.STEPS) {
          // A reference (champion, base) holds between evaluations: a step across the slot.
          line.append(point(scale.x(i) - scale.slot() / 2, scale.y(v)))
              .append(point(scale.x(i) + scale.slot() / 2, scale.y(v)));
        } else {
          line.append(point(scale.x(i), scale.y(v)));
        }
      }
    }
    String dash = s.role().equals("base") ? " stroke-dasharray=\"4 3\"" : "";
    svg.append("<polyline fill=\"none\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"1.5\"")
        .append(dash)
        .append(" points=\"")
        .append(line)
        .append("\"/>");
    if (s.shape() == Shape.POINTS) {
      for (int i = 0; i < points.size(); i++) {
        Point p = points.get(i);
        if (p.value() != null && Double.isFinite(p.value())) {
          svg.append(
                  String.format(
                      Locale.ROOT,
                      "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>",
                      Html.esc(p.cssClass()),
                      scale.x(i),
                      scale.y(p.value()),
                      markerColour(p, colour)))
              .append(Html.esc(p.tooltip()))
              .append("</title></circle>");
        }
      }
    }
    svg.append("</g>");
  }

  private static String markerColour(Point p, String colour) {
    if (p.cssClass().contains("reject")) {
      return "#dc2626";
    }
    return p.cssClass().contains("promote") ? "#059669" : colour;
  }

  private static String point(double x, double y) {
    return String.format(Locale.ROOT, "%.1f,%.1f ", x, y);
  }

  /** Every {@code step}-th value and the last, so a long curve stays a light element. */
  public static List<Double> thin(List<Double> values, int maxPoints) {
    if (values.size() <= maxPoints) {
      return values;
    }
    double step = (double) (values.size() - 1) / (maxPoints - 1);
    List<Double> kept = new ArrayList<>(maxPoints);
    for (int i = 0; i < maxPoints; i++) {
      kept.add(values.get((int) Math.round(i * step)));
    }
    return kept;
  }
}
