#include "report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pk::html {

namespace {

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

double label_margin(const std::vector<std::string>& labels, double cap, Svg& svg) {
  size_t longest = 4;
  for (const auto& l : labels) longest = std::max(longest, l.size());
  const double need = 16 + text_width(longest);
  if (need > cap) svg.w += need - cap;
  return need;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> t;
  const bool fine = hi / lo <= 100 * (1 + 1e-9);
  for (double p = std::pow(10, std::floor(std::log10(lo))); p <= hi * (1 + 1e-9); p *= 10)
    for (double m : {1.0, 2.0, 5.0})
      if ((m == 1 || fine) && m * p >= lo * (1 - 1e-9) && m * p <= hi * (1 + 1e-9))
        t.push_back(m * p);
  return t;
}

std::vector<double> ticks(double lo, double hi, int target, bool integer) {
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / target;
  double step = std::pow(10, std::floor(std::log10(raw)));
  const double r = raw / step;
  step *= r > 5 ? 10 : r > 2 ? 5 : r > 1 ? 2 : 1;
  if (integer) step = std::max(step, 1.0);
  std::vector<double> t;
  for (double v = std::floor(lo / step + 1e-9) * step; v <= hi + step * 0.999; v += step)
    t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return t;
}

void Svg::text(double x, double y, const std::string& s, const std::string& attrs) {
  body += "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\"" + (attrs.empty() ? "" : " " + attrs) +
          ">" + esc(s) + "</text>\n";
}

void Svg::centred_label(double x, double y, const std::string& s) {
  const double half = text_width(s.size()) / 2;
  text(std::clamp(x, half + 2, std::max(half + 2, w - half - 2)), y, s,
       "class=\"tick\" text-anchor=\"middle\"");
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& attrs) {
  body += "<line x1=\"" + px(x1) + "\" y1=\"" + px(y1) + "\" x2=\"" + px(x2) + "\" y2=\"" + px(y2) +
          "\" " + attrs + "/>\n";
}

void Svg::rect(double x, double y, double rw, double rh, const std::string& attrs) {
  if (rw < 0) x += rw, rw = -rw;
  if (rh < 0) y += rh, rh = -rh;
  body += "<rect x=\"" + px(x) + "\" y=\"" + px(y) + "\" width=\"" + px(rw) + "\" height=\"" +
          px(rh) + "\" " + attrs + "/>\n";
}

void Svg::heading() {
  w = std::max(w, 1.45 * text_width(title.size()) + 20);  // 16 px bold: never clipped
  text(w / 2, 20, title, "class=\"title\" text-anchor=\"middle\"");
}

void Svg::x_axis(const Scale& s, double y, const std::string& label, bool grid_up,
                 double grid_top) {
  line(s.p0, y, s.p1, y, "class=\"axis\"");
  for (double t : s.log ? log_ticks(s.d0, s.d1) : ticks(s.d0, s.d1, 5, s.integer)) {
    if (t < s.d0 - 1e-12 || t > s.d1 + 1e-12) continue;
    const double x = s(t);
    if (grid_up) line(x, grid_top, x, y, "class=\"grid\"");
    line(x, y, x, y + 4, "class=\"axis\"");
    centred_label(x, y + 16, tick_label(t));
  }
  text((s.p0 + s.p1) / 2, y + 34, label, "class=\"label\" text-anchor=\"middle\"");
}

void Svg::y_axis(const Scale& s, double x, const std::string& label, double grid_right) {
  line(x, s.p0, x, s.p1, "class=\"axis\"");
  for (double t : ticks(std::min(s.d0, s.d1), std::max(s.d0, s.d1))) {
    if (t < std::min(s.d0, s.d1) - 1e-12 || t > std::max(s.d0, s.d1) + 1e-12) continue;
    const double y = s(t);
    if (grid_right > x) line(x, y, grid_right, y, "class=\"grid\"");
    line(x - 4, y, x, y, "class=\"axis\"");
    text(x - 7, y + 4, tick_label(t), "class=\"tick\" text-anchor=\"end\"");
  }
  if (!label.empty()) {
    const double cy = (s.p0 + s.p1) / 2;
    text(x - 44, cy, label,
         "class=\"label\" text-anchor=\"middle\" transform=\"rotate(-90 " + px(x - 44) + " " +
             px(cy) + ")\"");
  }
}

void Svg::legend(double x, double y, const std::vector<std::pair<std::string, std::string>>& items,
                 bool lines) {
  double cx = x;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& [name, col] = items[i];
    const double width = 26 + text_width(name.size()) + 14;
    w = std::max(w, x + width + 10);  // an entry wider than the chart widens it
    if (cx + width > w - 10 && cx > x) {
      cx = x;
      y += 18;
    }
    if (lines)
      line(cx, y - 4, cx + 20, y - 4,
           "stroke=\"" + col + "\" stroke-width=\"2.5\"" +
               (dash(i).empty() ? "" : " stroke-dasharray=\"" + dash(i) + "\""));
    else
      rect(cx + 4, y - 10, 12, 12, "fill=\"" + col + "\"");
    text(cx + 24, y, name, "class=\"tick\"");
    cx += width;
  }
  h = std::max(h, y + 14);
}

std::string Svg::str() const {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\" viewBox=\"0 0 " + px(w) +
         " " + px(h) + "\" role=\"img\" aria-labelledby=\"" + id +
         "-t\" preserveAspectRatio=\"xMidYMid meet\">\n<title id=\"" + id + "-t\">" + esc(title) +
         "</title>\n<rect class=\"bg\" x=\"0\" y=\"0\" width=\"" + px(w) + "\" height=\"" + px(h) +
         "\"/>\n" + body + "</svg>\n";
}

std::string table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows, const std::string& cls) {
  std::string t = "<table class=\"" + cls + "\">\n<thead><tr>";
  for (const auto& h : head) t += "<th>" + h + "</th>";
  t += "</tr></thead>\n<tbody>\n";
  for (const auto& r : rows) {
    t += "<tr>";
    for (size_t i = 0; i < r.size(); ++i)
      t += (i == 0 ? "<th>" : "<td>") + r[i] + (i == 0 ? "</th>" : "</td>");
    t += "</tr>\n";
  }
  return t + "</tbody>\n</table>\n";
}

std::string figure(const Svg& svg, const std::string& caption, const std::string& numbers) {
  return "<figure class=\"chart\" id=\"fig-" + svg.id + "\">\n" + svg.str() + "<figcaption>" +
         caption + "</figcaption>\n</figure>\n<div class=\"numbers\">\n" + numbers + "</div>\n";
}

Svg hbar_chart(const std::string& id, const std::string& title, const std::string& xlabel,
               const std::vector<BarRow>& rows, bool log) {
  Svg s;
  s.id = id;
  s.title = title;
  std::vector<std::string> labels;
  for (const auto& r : rows) labels.push_back(r.label);
  const double left = label_margin(labels, 240, s);
  size_t note = 0;
  for (const auto& r : rows) note = std::max(note, r.note.size());
  const double right = note ? std::max(150.0, text_width(note) + 16) : 30;
  s.w = std::max(s.w, left + right + 300);  // a plot at least 300 wide
  const double row_h = 26, top = 40;
  s.h = top + row_h * static_cast<double>(rows.size()) + 50;
  double lo = log ? HUGE_VAL : 0, hi = log ? 0 : 0;
  for (const auto& r : rows) {
    for (double v : {r.value, r.lo, r.hi})
      if (std::isfinite(v) && (!log || v > 0)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  Scale x;
  if (log) {
    if (!(hi > 0)) lo = 1, hi = 10;
    x = {std::pow(10, std::floor(std::log10(lo))),
         std::pow(10, std::ceil(std::log10(hi))),
         left,
         s.w - right,
         false,
         true};
    if (x.d1 <= x.d0) x.d1 = x.d0 * 10;
  } else {
    if (hi <= lo) hi = lo + 1;
    const auto t = ticks(lo, hi);
    x = {std::min(lo, t.front()), std::max(hi, t.back()), left, s.w - right};
  }
  const double base = log ? x.d0 : 0;  // where bars start
  s.heading();
  const double bottom = top + row_h * static_cast<double>(rows.size());
  s.x_axis(x, bottom + 4, xlabel, true, top - 4);
  if (x.d0 < 0) s.line(x(0), top - 4, x(0), bottom + 4, "class=\"zero\"");
  for (size_t i = 0; i < rows.size(); ++i) {
    const BarRow& r = rows[i];
    const double yc = top + row_h * (static_cast<double>(i) + 0.5);
    s.text(left - 8, yc + 4, r.label, "class=\"tick\" text-anchor=\"end\"");
    s.rect(x(base), yc - 8, x(r.value) - x(base), 16,
           "class=\"bar\" data-series=\"" + esc(r.series.empty() ? r.label : r.series) +
               "\" fill=\"" + r.colour + "\" fill-opacity=\"0.85\"");
    if (std::isfinite(r.lo) && !std::isnan(r.hi)) {
      const bool open = std::isinf(r.hi);
      const double xh = open ? x.p1 : x(r.hi);
      const double xl = log && !(r.lo > x.d0) ? x.p0 : x(r.lo);
      s.line(xl, yc, xh, yc, "class=\"halo\"");
      s.line(xl, yc, xh, yc, "class=\"ci\"");
      s.line(xl, yc - 6, xl, yc + 6, "class=\"ci\"");
      if (open)
        s.body += "<path class=\"ci-open\" d=\"M" + px(xh) + " " + px(yc) + " l-7 -5 v10 z\"/>\n";
      else
        s.line(xh, yc - 6, xh, yc + 6, "class=\"ci\"");
    }
    if (!r.note.empty()) s.text(s.w - right + 8, yc + 4, r.note, "class=\"note\"");
  }
  return s;
}

}  // namespace pk::html
