#include "report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pk_version.hpp"

namespace pk {

using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Okabe & Ito (2008), ordered so that the first colours read well as lines
// and bars on white; yellow last.
const char* const kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                "#56B4E9", "#D55E00", "#000000", "#F0E442"};
constexpr size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];
const char* const kDashes[] = {"", "6 3", "2 3", "8 3 2 3"};

std::string colour(size_t i) {
  return kPalette[i % kPaletteSize];
}
std::string dash(size_t i) {
  return kDashes[(i / kPaletteSize) % 4];
}

const std::vector<std::pair<std::string, std::string>> kCauses = {{"ied", "#D55E00"},
                                                                  {"mine", "#E69F00"},
                                                                  {"ambush", "#CC79A7"},
                                                                  {"idf", "#0072B2"},
                                                                  {"vbied", "#009E73"}};
const std::map<std::string, std::string> kCauseLabels = {{"ied", "IED"},
                                                         {"mine", "mine"},
                                                         {"ambush", "ambush"},
                                                         {"idf", "indirect fire"},
                                                         {"vbied", "VBIED"}};

std::string esc(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

// A number for people: `digits` significant digits, no exponent for the
// sizes a report meets.
std::string num(double v, int digits = 3) {
  if (!std::isfinite(v)) return "n/a";
  if (v == 0) return "0";
  const double a = std::fabs(v);
  const int mag = static_cast<int>(std::floor(std::log10(a)));
  const int decimals = std::max(0, digits - 1 - mag);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 6), v);
  return buf;
}

// A whole number with thousands separators when it is one, else `digits`
// significant digits.
std::string plain(double v, int digits = 4);

// A probability: more decimals as it gets small, never an exponent.
std::string prob(double p) {
  if (!std::isfinite(p)) return "n/a";
  if (p <= 0 || p >= 1) return p <= 0 ? "0" : "1";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", p >= 0.1 ? 2 : p >= 0.01 ? 3 : 4, p);
  return buf;
}

// SVG coordinates: one decimal is enough.
std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string with_commas(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(v));
  std::string digits = buf, out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string plain(double v, int digits) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return with_commas(v);
  return num(v, digits);
}

std::string usd(double v) {
  if (!std::isfinite(v)) return "unbounded";
  if (std::fabs(v) >= 1e5) return "USD " + num(v / 1e6, 3) + " M";
  return "USD " + with_commas(v);
}

double get(const json& j, const char* k, double fallback = kNaN) {
  if (!j.is_object() || !j.contains(k) || !j[k].is_number()) return fallback;
  return j[k].get<double>();
}

double at(const json& j, size_t i) {
  if (!j.is_array() || i >= j.size() || !j[i].is_number()) return kNaN;
  return j[i].get<double>();
}

std::string str(const json& j, const char* k, const std::string& fallback = "") {
  if (!j.is_object() || !j.contains(k)) return fallback;
  if (j[k].is_string()) return j[k].get<std::string>();
  if (j[k].is_null()) return fallback;
  return j[k].dump();
}

// "Nice" axis ticks covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int target = 5, bool integer = false) {
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

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

struct Scale {
  double d0 = 0, d1 = 1, p0 = 0, p1 = 1;
  bool integer = false;  // ticks on whole numbers only (counts)
  double operator()(double v) const { return p0 + (v - d0) / (d1 - d0) * (p1 - p0); }
};

// An SVG chart: a fixed viewBox, scaled to the page width.
struct Svg {
  double w = 760, h = 300;
  std::string id, title, body;

  void text(double x, double y, const std::string& s, const std::string& attrs = "") {
    body += "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\"" + (attrs.empty() ? "" : " " + attrs) +
            ">" + esc(s) + "</text>\n";
  }
  void line(double x1, double y1, double x2, double y2, const std::string& attrs) {
    body += "<line x1=\"" + px(x1) + "\" y1=\"" + px(y1) + "\" x2=\"" + px(x2) + "\" y2=\"" +
            px(y2) + "\" " + attrs + "/>\n";
  }
  void rect(double x, double y, double rw, double rh, const std::string& attrs) {
    if (rw < 0) x += rw, rw = -rw;
    if (rh < 0) y += rh, rh = -rh;
    body += "<rect x=\"" + px(x) + "\" y=\"" + px(y) + "\" width=\"" + px(rw) + "\" height=\"" +
            px(rh) + "\" " + attrs + "/>\n";
  }
  // Title at the top, centred.
  void heading() { text(w / 2, 20, title, "class=\"title\" text-anchor=\"middle\""); }
  // A horizontal axis at y with ticks and a label below.
  void x_axis(const Scale& s, double y, const std::string& label, bool grid_up = false,
              double grid_top = 0) {
    line(s.p0, y, s.p1, y, "class=\"axis\"");
    for (double t : ticks(s.d0, s.d1, 5, s.integer)) {
      if (t < s.d0 - 1e-12 || t > s.d1 + 1e-12) continue;
      const double x = s(t);
      if (grid_up) line(x, grid_top, x, y, "class=\"grid\"");
      line(x, y, x, y + 4, "class=\"axis\"");
      text(x, y + 16, tick_label(t), "class=\"tick\" text-anchor=\"middle\"");
    }
    text((s.p0 + s.p1) / 2, y + 34, label, "class=\"label\" text-anchor=\"middle\"");
  }
  // A vertical axis at x with ticks and a rotated label on the left.
  void y_axis(const Scale& s, double x, const std::string& label, double grid_right = 0) {
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
  // Legend entries in rows from y, starting at x; the chart grows to hold them.
  void legend(double x, double y, const std::vector<std::pair<std::string, std::string>>& items,
              bool lines = false) {
    double cx = x;
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& [name, col] = items[i];
      const double width = 26 + 6.6 * static_cast<double>(name.size()) + 14;
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
  std::string str() const {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\" viewBox=\"0 0 " + px(w) +
           " " + px(h) + "\" role=\"img\" aria-labelledby=\"" + id +
           "-t\" preserveAspectRatio=\"xMidYMid meet\">\n<title id=\"" + id + "-t\">" + esc(title) +
           "</title>\n<rect class=\"bg\" x=\"0\" y=\"0\" width=\"" + px(w) + "\" height=\"" +
           px(h) + "\"/>\n" + body + "</svg>\n";
  }
};

// A table: header cells and rows of cells (already escaped HTML).
std::string table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::string& cls = "num") {
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

std::string interval(double lo, double hi, int digits = 3) {
  return "[" + num(lo, digits) + ", " + (std::isfinite(hi) ? num(hi, digits) : "unbounded") + "]";
}

// Horizontal bars from zero with 95% whiskers; one row per item.
struct BarRow {
  std::string label;
  double value = 0;
  double lo = kNaN, hi = kNaN;  // hi = +inf: unbounded above
  std::string colour;
  std::string note;  // printed right of the row
  std::string series;
};

Svg hbar_chart(const std::string& id, const std::string& title, const std::string& xlabel,
               const std::vector<BarRow>& rows) {
  Svg s;
  s.id = id;
  s.title = title;
  size_t longest = 4;
  for (const auto& r : rows) longest = std::max(longest, r.label.size());
  const double left = std::min(240.0, 16 + 6.6 * static_cast<double>(longest));
  bool has_note = false;
  for (const auto& r : rows) has_note |= !r.note.empty();
  const double right = has_note ? 150 : 30;
  const double row_h = 26, top = 40;
  s.h = top + row_h * static_cast<double>(rows.size()) + 50;
  double lo = 0, hi = 0;
  for (const auto& r : rows) {
    for (double v : {r.value, r.lo, r.hi})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (hi <= lo) hi = lo + 1;
  const auto t = ticks(lo, hi);
  Scale x{std::min(lo, t.front()), std::max(hi, t.back()), left, s.w - right};
  s.heading();
  const double bottom = top + row_h * static_cast<double>(rows.size());
  s.x_axis(x, bottom + 4, xlabel, true, top - 4);
  if (x.d0 < 0) s.line(x(0), top - 4, x(0), bottom + 4, "class=\"zero\"");
  for (size_t i = 0; i < rows.size(); ++i) {
    const BarRow& r = rows[i];
    const double yc = top + row_h * (static_cast<double>(i) + 0.5);
    s.text(left - 8, yc + 4, r.label, "class=\"tick\" text-anchor=\"end\"");
    s.rect(x(0), yc - 8, x(r.value) - x(0), 16,
           "class=\"bar\" data-series=\"" + esc(r.series.empty() ? r.label : r.series) +
               "\" fill=\"" + r.colour + "\" fill-opacity=\"0.85\"");
    if (std::isfinite(r.lo) && !std::isnan(r.hi)) {
      const bool open = std::isinf(r.hi);
      const double xh = open ? x.p1 : x(r.hi);
      s.line(x(r.lo), yc, xh, yc, "class=\"halo\"");
      s.line(x(r.lo), yc, xh, yc, "class=\"ci\"");
      s.line(x(r.lo), yc - 6, x(r.lo), yc + 6, "class=\"ci\"");
      if (open)
        s.body += "<path class=\"ci-open\" d=\"M" + px(xh) + " " + px(yc) + " l-7 -5 v10 z\"/>\n";
      else
        s.line(xh, yc - 6, xh, yc + 6, "class=\"ci\"");
    }
    if (!r.note.empty()) s.text(s.w - right + 8, yc + 4, r.note, "class=\"note\"");
  }
  return s;
}

// ---------------------------------------------------------------------------
// Run results

struct ArmView {
  std::string name;
  const json* j = nullptr;
  std::vector<std::pair<int64_t, int64_t>> hist;
  int64_t n = 0;
};

std::vector<ArmView> arm_views(const json& arms) {
  std::vector<ArmView> v;
  for (const auto& a : arms) {
    ArmView av;
    av.name = str(a, "name");
    av.j = &a;
    if (a.contains("fatalities_histogram"))
      for (const auto& p : a["fatalities_histogram"]) {
        av.hist.emplace_back(p[0].get<int64_t>(), p[1].get<int64_t>());
        av.n += p[1].get<int64_t>();
      }
    v.push_back(std::move(av));
  }
  return v;
}

std::string key_numbers(const std::vector<ArmView>& arms, double years) {
  std::vector<BarRow> rows;
  std::vector<std::vector<std::string>> t;
  for (size_t i = 0; i < arms.size(); ++i) {
    const json& a = *arms[i].j;
    const json& f = a["fatalities"];
    rows.push_back({arms[i].name, get(f, "mean") / years, at(f["ci95"], 0) / years,
                    at(f["ci95"], 1) / years, colour(i), "", arms[i].name});
    const json& py = a.value("fatalities_per_1000py", json::object());
    const json& pa = a.value("p_any_fatality", json::object());
    t.push_back({esc(arms[i].name), num(get(f, "mean")),
                 interval(at(f["ci95"], 0), at(f["ci95"], 1)), num(get(a["kia"], "mean")),
                 num(get(a["dow"], "mean")), num(get(a["wia"], "mean")), num(get(f, "p95")),
                 num(get(py, "mean")) + " " + interval(at(py["ci95"], 0), at(py["ci95"], 1)),
                 num(100 * get(pa, "p"), 3) + "%"});
  }
  Svg s = hbar_chart("fatalities-per-arm", "Expected fatalities per year, by arm",
                     "fatalities (KIA + DOW) per year, mean with 95% CI", rows);
  return figure(s,
                "Mean fatalities per mission-year in each arm (bar) with the 95% confidence "
                "interval of the mean (whisker).",
                table({"arm", "fatalities (horizon)", "95% CI", "KIA", "DOW", "WIA", "P95",
                       "per 1,000 personnel-years", "P(≥1 fatality)"},
                      t));
}

std::string histogram_chart(const std::vector<ArmView>& arms) {
  Svg s;
  s.id = "fatality-histogram";
  s.title = "Distribution of fatalities over the horizon, by arm";
  const size_t cols = arms.size() > 1 ? 2 : 1;
  const size_t rows_n = (arms.size() + cols - 1) / cols;
  const double panel_h = 150, top = 36, left = 64, gap_x = 40, gap_y = 62;
  const double panel_w =
      (s.w - left - 20 - gap_x * static_cast<double>(cols - 1)) / static_cast<double>(cols);
  s.h = top + static_cast<double>(rows_n) * (panel_h + gap_y) + 24;
  int64_t vmax = 1;
  double share_max = 0;
  for (const auto& a : arms)
    for (const auto& [v, c] : a.hist) {
      vmax = std::max(vmax, v);
      if (a.n) share_max = std::max(share_max, static_cast<double>(c) / a.n);
    }
  const auto yt = ticks(0, std::max(share_max, 0.01));
  s.heading();
  std::vector<std::vector<std::string>> t;
  for (size_t i = 0; i < arms.size(); ++i) {
    const double x0 = left + static_cast<double>(i % cols) * (panel_w + gap_x);
    const double y0 = top + static_cast<double>(i / cols) * (panel_h + gap_y) + 16;
    Scale x{-0.5, static_cast<double>(vmax) + 0.5, x0, x0 + panel_w, true};
    Scale y{0, yt.back(), y0 + panel_h, y0};
    s.text(x0 + panel_w / 2, y0 - 6, arms[i].name, "class=\"panel-title\" text-anchor=\"middle\"");
    s.y_axis(y, x0, i % cols == 0 ? "share of replications" : "", x0 + panel_w);
    s.x_axis(x, y0 + panel_h, "fatalities (KIA + DOW)");
    const double bw = std::max(1.0, std::min(24.0, (x(1) - x(0)) * 0.8));
    s.body += "<g class=\"hist\" data-series=\"" + esc(arms[i].name) + "\">\n";
    for (const auto& [v, c] : arms[i].hist) {
      const double share = arms[i].n ? static_cast<double>(c) / arms[i].n : 0;
      s.rect(x(static_cast<double>(v)) - bw / 2, y(share), bw, y(0) - y(share),
             "class=\"bar\" fill=\"" + colour(i) + "\"");
    }
    s.body += "</g>\n";
    const double mean = get((*arms[i].j)["fatalities"], "mean", 0);
    s.line(x(mean), y0, x(mean), y0 + panel_h,
           "class=\"mean\" stroke=\"#000\" stroke-dasharray=\"4 3\"");
    s.text(x(mean) + 4, y0 + 10, "mean " + num(mean), "class=\"note\"");
  }
  // Numbers: one row per value, the count in each arm.
  std::map<int64_t, std::vector<int64_t>> counts;
  for (size_t i = 0; i < arms.size(); ++i)
    for (const auto& [v, c] : arms[i].hist) {
      auto& row = counts[v];
      row.resize(arms.size(), 0);
      row[i] = c;
    }
  std::vector<std::string> head = {"fatalities"};
  for (const auto& a : arms) head.push_back(esc(a.name));
  for (const auto& [v, row] : counts) {
    std::vector<std::string> r = {std::to_string(v)};
    for (size_t i = 0; i < arms.size(); ++i)
      r.push_back(i < row.size() ? with_commas(static_cast<double>(row[i])) : "0");
    t.push_back(r);
  }
  return figure(s,
                "Each bar is the share of replications (possible years of the mission) that "
                "ended with that number of fatalities; the dashed line marks the mean. The table "
                "gives the replication counts.",
                table(head, t));
}

std::string exceedance_chart(const std::vector<ArmView>& arms) {
  Svg s;
  s.id = "exceedance";
  s.title = "Exceedance: probability of more than n fatalities";
  const double left = 70, right = 20, top = 40, plot_h = 300;
  s.h = top + plot_h + 56 + 18 * std::ceil(static_cast<double>(arms.size()) / 5.0) + 10;
  int64_t vmax = 1;
  for (const auto& a : arms)
    for (const auto& [v, c] : a.hist) vmax = std::max(vmax, v);
  Scale x{0, static_cast<double>(vmax), left, s.w - right, true};
  Scale y{0, 1, top + plot_h, top};
  s.heading();
  s.y_axis(y, left, "P(more than n fatalities)", s.w - right);
  s.x_axis(x, top + plot_h, "n, fatalities over the horizon", true, top);
  std::vector<std::pair<std::string, std::string>> legend;
  // P(X > n) for each distinct value; the curve is a step function.
  std::vector<std::vector<double>> exceed(arms.size());
  for (size_t i = 0; i < arms.size(); ++i) {
    const auto& a = arms[i];
    std::string d = "M" + px(x(0)) + " " + px(y(1));
    std::string pts;
    int64_t cum = 0;
    for (const auto& [v, c] : a.hist) {
      cum += c;
      const double p = a.n ? 1.0 - static_cast<double>(cum) / a.n : 0;
      d += " H" + px(x(static_cast<double>(std::max<int64_t>(v, 0)))) + " V" + px(y(p));
      pts += "<circle class=\"pt\" cx=\"" + px(x(static_cast<double>(v))) + "\" cy=\"" + px(y(p)) +
             "\" r=\"2\" fill=\"" + colour(i) + "\"/>\n";
    }
    d += " H" + px(x(static_cast<double>(vmax)));
    s.body += "<g class=\"series\" data-series=\"" + esc(a.name) + "\">\n<path d=\"" + d +
              "\" fill=\"none\" stroke=\"" + colour(i) + "\" stroke-width=\"2\"" +
              (dash(i).empty() ? "" : " stroke-dasharray=\"" + dash(i) + "\"") + "/>\n" + pts +
              "</g>\n";
    legend.emplace_back(a.name, colour(i));
  }
  s.legend(left, top + plot_h + 56, legend, true);
  // Every n up to 60; beyond, evenly spaced rows that still reach the largest value.
  const int64_t step = vmax <= 60 ? 1 : (vmax + 59) / 60;
  std::vector<std::string> head = {"n"};
  for (const auto& a : arms) head.push_back("P(&gt; n), " + esc(a.name));
  std::vector<std::vector<std::string>> t;
  std::vector<int64_t> rows_n;
  for (int64_t n = 0; n <= vmax; n += step) rows_n.push_back(n);
  if (rows_n.back() != vmax) rows_n.push_back(vmax);
  for (int64_t n : rows_n) {
    std::vector<std::string> r = {std::to_string(n)};
    for (const auto& a : arms) {
      int64_t above = 0;
      for (const auto& [v, c] : a.hist)
        if (v > n) above += c;
      r.push_back(a.n ? prob(static_cast<double>(above) / a.n) : "n/a");
    }
    t.push_back(r);
  }
  return figure(s,
                "For each n, the share of replications with more than n fatalities over the "
                "horizon (a point per observed value). A curve lower and further left is safer. "
                "Read the tail risk off the right-hand side: how likely a bad year is.",
                table(head, t));
}

std::string mitigation_charts(const std::vector<ArmView>& arms, double years) {
  if (arms.size() < 2) return "";
  std::vector<BarRow> saved, cost;
  std::vector<std::vector<std::string>> t;
  for (size_t i = 1; i < arms.size(); ++i) {
    const json& a = *arms[i].j;
    const json& vs = a.value("vs_baseline", json::object());
    const json& diff = vs.value("fatalities_diff", json::object());
    const double per_year = get(vs, "lives_saved_per_year", 0);
    const double lo = -at(diff["ci95"], 1) / years, hi = -at(diff["ci95"], 0) / years;
    const double cpl = get(vs, "cost_per_fatality_averted");
    const double cost_usd = get(a, "cost_usd", 0);
    saved.push_back({arms[i].name, per_year, lo, hi, colour(i),
                     std::isfinite(cpl) ? usd(cpl) + " / life" : "none averted", arms[i].name});
    double clo = kNaN, chi = kNaN;
    if (vs.contains("cost_per_fatality_averted_ci95")) {
      const json& c = vs["cost_per_fatality_averted_ci95"];
      clo = at(c, 0) / 1e6;
      chi =
          c.size() > 1 && c[1].is_null() ? std::numeric_limits<double>::infinity() : at(c, 1) / 1e6;
    }
    if (std::isfinite(cpl))
      cost.push_back({arms[i].name, cpl / 1e6, clo, chi, colour(i), "", arms[i].name});
    t.push_back({esc(arms[i].name), usd(cost_usd), num(per_year) + " " + interval(lo, hi),
                 num(100 * get(vs, "rrr", 0), 3) + "% " +
                     (vs.contains("rrr_ci95")
                          ? interval(100 * at(vs["rrr_ci95"], 0), 100 * at(vs["rrr_ci95"], 1))
                          : ""),
                 std::isfinite(cpl) ? usd(cpl) : "none averted",
                 std::isfinite(clo) ? "[" + usd(clo * 1e6) + ", " + usd(chi * 1e6) + "]" : "",
                 num(get(vs, "variance_reduction", kNaN), 3)});
  }
  std::string out = figure(
      hbar_chart("lives-saved", "Lives saved per year by each mitigation",
                 "fatalities averted per mission-year, mean with 95% CI (paired)", saved),
      "Fatalities averted per mission-year against the baseline, paired on common random "
      "numbers; whiskers are 95% confidence intervals. An interval that crosses zero means no "
      "demonstrated effect at this number of replications. Right: cost per life saved.",
      table({"arm", "cost", "lives saved / year [95% CI]", "relative risk reduction [95% CI]",
             "cost per life saved", "95% CI (Fieller)", "variance reduction from pairing"},
            t));
  if (!cost.empty())
    out += figure(hbar_chart("cost-per-life", "Cost per life saved",
                             "USD millions per fatality averted, with 95% CI", cost),
                  "The package cost divided by the fatalities it averts over the horizon. "
                  "Whiskers: Fieller's interval; an arrow means the interval is unbounded above "
                  "(the mitigation may save no life). Arms that avert none are not drawn.",
                  "");
  return out;
}

std::string cause_chart(const std::vector<ArmView>& arms) {
  Svg s;
  s.id = "by-cause";
  s.title = "Fatalities by cause, by arm";
  size_t longest = 4;
  for (const auto& a : arms) longest = std::max(longest, a.name.size());
  const double left = std::min(240.0, 16 + 6.6 * static_cast<double>(longest)), right = 30;
  const double top = 40, row_h = 26;
  const double bottom = top + row_h * static_cast<double>(arms.size());
  s.h = bottom + 80;
  double hi = 0;
  for (const auto& a : arms) {
    double sum = 0;
    for (const auto& [c, col] : kCauses) sum += get((*a.j)["fatalities_by_cause"][c], "mean", 0);
    hi = std::max(hi, sum);
  }
  const auto tk = ticks(0, hi > 0 ? hi : 1);
  Scale x{0, tk.back(), left, s.w - right};
  s.heading();
  s.x_axis(x, bottom + 4, "mean fatalities over the horizon", true, top - 4);
  std::vector<std::vector<std::string>> t;
  for (size_t i = 0; i < arms.size(); ++i) {
    const double yc = top + row_h * (static_cast<double>(i) + 0.5);
    s.text(left - 8, yc + 4, arms[i].name, "class=\"tick\" text-anchor=\"end\"");
    double acc = 0;
    std::vector<std::string> r = {esc(arms[i].name)};
    for (const auto& [c, col] : kCauses) {
      const double m = get((*arms[i].j)["fatalities_by_cause"][c], "mean", 0);
      if (m > 0)
        s.rect(x(acc), yc - 9, x(acc + m) - x(acc), 18,
               "class=\"seg\" data-series=\"" + esc(arms[i].name) + "\" data-cause=\"" + c +
                   "\" fill=\"" + col + "\" stroke=\"#fff\" stroke-width=\"0.5\"");
      acc += m;
      r.push_back(num(m));
    }
    r.push_back(num(acc));
    t.push_back(r);
  }
  std::vector<std::pair<std::string, std::string>> legend;
  std::vector<std::string> head = {"arm"};
  for (const auto& [c, col] : kCauses) {
    legend.emplace_back(kCauseLabels.at(c), col);
    head.push_back(esc(kCauseLabels.at(c)));
  }
  head.push_back("total");
  s.legend(left, bottom + 62, legend);
  return figure(s, "Mean fatalities (KIA + DOW) over the horizon, split by cause.", table(head, t));
}

std::string place_chart(const std::vector<ArmView>& arms) {
  // Movements and sites of the baseline, largest first.
  struct Place {
    std::string kind, id, key;
    double mean;
  };
  std::vector<Place> places;
  const json& base = *arms[0].j;
  for (const char* group : {"fatalities_by_movement", "fatalities_by_site"}) {
    if (!base.contains(group) || !base[group].is_object()) continue;
    for (auto it = base[group].begin(); it != base[group].end(); ++it)
      places.push_back({group == std::string("fatalities_by_movement") ? "movement" : "site",
                        it.key(), std::string(group) + "." + it.key(), get(it.value(), "mean", 0)});
  }
  if (places.empty()) return "";
  std::stable_sort(places.begin(), places.end(),
                   [](const Place& a, const Place& b) { return a.mean > b.mean; });
  std::vector<BarRow> rows;
  std::vector<std::string> head = {"movement / site"};
  for (const auto& a : arms) head.push_back(esc(a.name));
  std::vector<std::vector<std::string>> t;
  for (const Place& p : places) {
    const json& m = base[p.key];
    rows.push_back({p.kind + " " + p.id, p.mean, at(m["ci95"], 0), at(m["ci95"], 1),
                    p.kind == "movement" ? "#0072B2" : "#E69F00", "", p.kind + " " + p.id});
    std::vector<std::string> r = {esc(p.kind + " " + p.id)};
    for (const auto& a : arms)
      r.push_back(a.j->contains(p.key) ? num(get((*a.j)[p.key], "mean")) : "n/a");
    t.push_back(r);
  }
  Svg s = hbar_chart("by-place", "Baseline fatalities by movement and site",
                     "mean fatalities over the horizon, with 95% CI", rows);
  s.h += 20;
  s.legend(60, s.h - 12,
           {{"movement (convoys, patrols)", "#0072B2"}, {"site (IDF, VBIED)", "#E69F00"}});
  return figure(s,
                "Where the baseline's fatalities happen: on each movement (IED, mine, ambush) "
                "and at each site (indirect fire, VBIED). The table gives the mean in every arm.",
                table(head, t));
}

// ---------------------------------------------------------------------------
// Header

std::string overview_html(const json& o) {
  if (!o.is_object()) return "";
  std::string h = "<section class=\"overview\">\n<h2>What the scenario holds</h2>\n";
  if (!str(o, "description").empty()) h += "<p>" + esc(str(o, "description")) + "</p>\n";
  h += "<p>Horizon " + plain(get(o, "horizon_days")) + " days; " +
       with_commas(get(o, "personnel", 0)) + " personnel in " +
       std::to_string(o.value("sites", json::array()).size()) + " sites (" +
       plain(std::round(get(o, "personnel_years") * 10) / 10) + " personnel-years).";
  if (o.contains("uav") && o["uav"].is_object())
    h += " UAV: " + str(o["uav"], "aircraft") + " aircraft" +
         (o["uav"].value("overwatch", false) ? ", convoy overwatch" : "") +
         (o["uav"].value("area", false) ? ", area surveillance" : "") + ".";
  else
    h += " No UAV.";
  if (o.contains("medevac") && o["medevac"].is_object())
    h += " MEDEVAC: " + str(o["medevac"], "helicopters") + " helicopter(s), " +
         (o["medevac"].value("night_flying", false) ? "night flying" : "day only") +
         ", ground evacuation after " + num(get(o["medevac"], "max_wait_hours"), 3) +
         " h of waiting.";
  else
    h += " Deaths of wounds not modelled (no MEDEVAC block).";
  if (o.contains("acceptance"))
    h += " Acceptance limit: " + num(get(o["acceptance"], "max_fatalities_per_1000py"), 3) +
         " fatalities per 1,000 personnel-years at " +
         plain(100 * get(o["acceptance"], "confidence"), 3) + "% confidence.";
  h += "</p>\n<div class=\"cols\">\n";
  std::vector<std::vector<std::string>> t;
  for (const auto& s : o.value("sites", json::array()))
    t.push_back({esc(str(s, "id")), esc(str(s, "zone")), with_commas(get(s, "personnel", 0))});
  h += "<div>\n<h3>Sites</h3>\n" + table({"site", "zone", "personnel"}, t, "plain") + "</div>\n";
  t.clear();
  for (const auto& z : o.value("zones", json::array())) {
    std::string th;
    for (const auto& x : z.value("threats", json::array()))
      th += (th.empty() ? "" : ", ") + kCauseLabels.at(x.get<std::string>());
    t.push_back({esc(str(z, "id")), esc(th.empty() ? "none" : th)});
  }
  h += "<div>\n<h3>Zones and threats</h3>\n" + table({"zone", "threats"}, t, "plain") +
       "</div>\n</div>\n";
  t.clear();
  for (const auto& m : o.value("movements", json::array()))
    t.push_back({esc(str(m, "id")), esc(str(m, "kind")),
                 esc(str(m, "from") + " → " + str(m, "to")) +
                     (m.value("round_trip", false) ? " and back" : ""),
                 plain(get(m, "route_km")), plain(get(m, "departures"), 3), esc(str(m, "vehicles")),
                 with_commas(get(m, "people", 0))});
  if (!t.empty())
    h += "<h3>Movements</h3>\n" +
         table({"movement", "kind", "route", "km", "departures", "vehicles", "people"}, t, "plain");
  t.clear();
  for (const auto& a : o.value("arms", json::array())) {
    std::string ov;
    for (const auto& x : a.value("overrides", json::array()))
      ov += (ov.empty() ? "" : "<br/>") + esc(x.get<std::string>());
    t.push_back({esc(str(a, "name")), get(a, "cost_usd", 0) > 0 ? usd(get(a, "cost_usd")) : "–",
                 ov.empty() ? "(the scenario as written)" : "<code>" + ov + "</code>"});
  }
  if (!t.empty())
    h += "<h3>Arms (mitigation packages)</h3>\n" +
         table({"arm", "cost", "what changes"}, t, "plain");
  return h + "</section>\n";
}

std::string provenance(const json& s, const std::string& kind) {
  const json& sc = s.value("scenario", json::object());
  std::vector<std::vector<std::string>> t = {
      {"pkrisk version", esc(str(s, "version", "?")) +
                             (s.contains("git") ? " (git " + esc(str(s, "git")) + ")" : "")},
      {"scenario", esc(str(sc, "name")) + " — <code>" + esc(str(sc, "file")) + "</code>"},
      {"scenario sha256", "<code>" + esc(str(sc, "sha256")) + "</code>"},
      {"seed", esc(str(s, "seed"))},
      {kind == "sweep" ? "replications per point and arm" : "replications per arm",
       with_commas(get(s, "replications", 0)) +
           (s.value("complete", true) ? "" : " <strong>(PARTIAL: interrupted)</strong>")},
  };
  if (s.contains("horizon_days")) t.push_back({"horizon", plain(get(s, "horizon_days")) + " days"});
  if (s.contains("boost")) t.push_back({"Boost", esc(str(s, "boost"))});
  if (kind == "sweep") {
    t.push_back({"design", esc(str(s, "design")) + ", " +
                               std::to_string(s.value("points", json::array()).size()) +
                               " points"});
    std::string ps;
    for (const auto& p : s.value("parameters", json::array()))
      ps += (ps.empty() ? "" : ", ") + ("<code>" + esc(p.get<std::string>()) + "</code>");
    t.push_back({"parameters", ps});
  }
  if (s.contains("acceptance")) {
    const json& a = s["acceptance"];
    t.push_back({"acceptance",
                 std::string(a.value("passed", false) ? "<span class=\"pass\">passed</span>"
                                                      : "<span class=\"fail\">FAILED</span>") +
                     ": upper " + plain(100 * get(a, "confidence"), 3) + "% bound " +
                     num(get(a, "upper_bound"), 3) + " vs limit " + num(get(a, "max"), 3) +
                     " fatalities per 1,000 personnel-years"});
  }
  return table({"provenance", ""}, t, "plain prov");
}

const char* const kCss = R"(
:root { color-scheme: light; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  color: #222; background: #fff; max-width: 980px; margin: 0 auto; padding: 16px 24px;
  line-height: 1.4; font-size: 14px; }
h1 { font-size: 24px; margin: 8px 0 2px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #0072B2; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
p.sub { color: #555; margin: 0 0 12px; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px;
  word-break: break-all; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 12.5px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
thead th { border-bottom: 2px solid #888; text-align: left; background: #f3f6f9; }
table.num td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { text-align: left; font-weight: normal; }
table.prov th { font-weight: bold; }
.cols { display: flex; gap: 32px; flex-wrap: wrap; }
figure.chart { margin: 18px 0 4px; page-break-inside: avoid; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 12.5px; color: #444; margin-top: 4px; }
div.numbers { overflow-x: auto; }
.pass { color: #009E73; font-weight: bold; }
.fail { color: #D55E00; font-weight: bold; }
svg .bg { fill: #fff; }
svg text { font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  fill: #222; }
svg .title { font-size: 16px; font-weight: bold; }
svg .panel-title { font-size: 13px; font-weight: bold; }
svg .label { font-size: 12.5px; }
svg .tick { font-size: 11.5px; }
svg .note { font-size: 11px; fill: #444; }
svg .axis { stroke: #444; stroke-width: 1; }
svg .grid { stroke: #e3e3e3; stroke-width: 1; }
svg .zero { stroke: #444; stroke-width: 1.2; }
svg .ci { stroke: #222; stroke-width: 1.6; }
svg .halo { stroke: #fff; stroke-width: 4; stroke-opacity: 0.8; }
svg .ci-open { fill: #222; }
footer { margin-top: 30px; font-size: 11.5px; color: #666; border-top: 1px solid #ccc;
  padding-top: 6px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  figure.chart { page-break-inside: avoid; break-inside: avoid; }
  figure.chart svg { max-height: 235mm; }
  tr, .overview .cols > div { page-break-inside: avoid; break-inside: avoid; }
  div.numbers { overflow: visible; }
}
)";

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>" +
         esc(title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n" + body +
         "<footer>Generated by pkrisk " + esc(kVersion) + " (git " + esc(kGitHash) +
         ") from a result file; self-contained (no scripts, fonts or "
         "network). Confidence intervals are 95%. Colours: Okabe–Ito palette.</footer>\n"
         "</body>\n</html>\n";
}

// A few sentences a planner can read first; every number is in a chart below.
std::string key_findings(const std::vector<ArmView>& arms, double years) {
  const json& base = *arms[0].j;
  const json& f = base["fatalities"];
  std::string h = "<section class=\"findings\">\n<h2>Key findings</h2>\n<ul>\n";
  h += "<li>Baseline: <strong>" + num(get(f, "mean") / years) +
       " fatalities per year</strong> (95% CI " +
       interval(at(f["ci95"], 0) / years, at(f["ci95"], 1) / years) + "), " +
       num(get(base.value("fatalities_per_1000py", json::object()), "mean")) +
       " per 1,000 personnel-years; a 1-in-20 chance of " + plain(get(f, "p95")) +
       " or more over the horizon (P95).</li>\n";
  size_t best = 0, cheapest = 0;
  double best_saved = 0, best_cost = std::numeric_limits<double>::infinity();
  for (size_t i = 1; i < arms.size(); ++i) {
    const json& vs = arms[i].j->value("vs_baseline", json::object());
    const json& d = vs.value("fatalities_diff", json::object());
    const double saved = get(vs, "lives_saved_per_year", 0);
    const bool shown = at(d["ci95"], 1) < 0;  // the whole interval is a reduction
    if (shown && saved > best_saved) best_saved = saved, best = i;
    const double c = get(vs, "cost_per_fatality_averted");
    if (shown && std::isfinite(c) && c < best_cost) best_cost = c, cheapest = i;
  }
  if (best)
    h += "<li>Most lives saved: <strong>" + esc(arms[best].name) + "</strong>, " + num(best_saved) +
         " per year.</li>\n";
  if (cheapest)
    h += "<li>Cheapest per life saved: <strong>" + esc(arms[cheapest].name) + "</strong>, " +
         usd(best_cost) + " per fatality averted.</li>\n";
  if (arms.size() > 1 && !best)
    h += "<li>No arm shows a reduction of fatalities that its confidence interval "
         "supports.</li>\n";
  return h + "</ul>\n</section>\n";
}

std::string run_report(const json& s) {
  static const json kNone = json::array();
  const std::vector<ArmView> arms = arm_views(s.contains("arms") ? s["arms"] : kNone);
  const double years = get(s, "horizon_days", 365) / 365.0;
  const std::string name = str(s.value("scenario", json::object()), "name", "pkrisk result");
  std::string b = "<header>\n<h1>" + esc(name) + "</h1>\n<p class=\"sub\">pkrisk risk report — " +
                  with_commas(get(s, "replications", 0)) + " replications of each of " +
                  std::to_string(arms.size()) + " arm" + (arms.size() == 1 ? "" : "s") +
                  ", paired on common random numbers</p>\n" + provenance(s, "run") + "</header>\n";
  if (arms.empty()) return page(name, b + "<p>The result holds no arms.</p>\n");
  b += key_findings(arms, years);
  b += overview_html(s.value("overview", json()));
  b += "<h2>Fatalities</h2>\n" + key_numbers(arms, years);
  bool have_hist = true;
  for (const auto& a : arms) have_hist &= !a.hist.empty();
  if (have_hist)
    b += histogram_chart(arms) + exceedance_chart(arms);
  else
    b += "<p>This result has no fatalities histogram (written by an older pkrisk): the "
         "distribution charts are left out.</p>\n";
  if (arms.size() > 1) b += "<h2>What each mitigation buys</h2>\n" + mitigation_charts(arms, years);
  b += "<h2>Where the fatalities come from</h2>\n" + cause_chart(arms) + place_chart(arms);
  return page(name, b);
}

// ---------------------------------------------------------------------------
// Sweeps

// The value of a parameter at a point, as text.
std::string label_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return plain(v.get<double>());
  return v.dump();
}

// The value of a parameter at a point, as a number when it is one.
double numeric(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  return kNaN;
}

std::string response_chart(const json& s, size_t j, const std::string& param) {
  const json& points = s["points"];
  const bool grid = str(s, "design") == "grid";
  // Group points by the parameter's value (grid: averaged over the others).
  struct Level {
    std::string label;
    double x = 0;
    std::vector<double> mean, lo, hi;  // baseline
    std::vector<std::vector<double>> arm_means;
    int n = 0;
  };
  std::vector<Level> levels;
  std::map<std::string, size_t> index;
  std::vector<std::string> arm_names;
  if (!points.empty())
    for (const auto& a : points[0]["arms"]) arm_names.push_back(str(a, "name"));
  bool categorical = false;
  for (size_t p = 0; p < points.size(); ++p) {
    const json& v = points[p]["parameters"].value(param, json());
    const std::string key = grid ? v.dump() : std::to_string(p);
    if (!index.count(key)) {
      index[key] = levels.size();
      Level l;
      l.label = label_of(v);
      l.x = numeric(v);
      categorical |= !std::isfinite(l.x);
      l.mean.assign(arm_names.size(), 0);
      l.lo.assign(arm_names.size(), 0);
      l.hi.assign(arm_names.size(), 0);
      levels.push_back(l);
    }
    Level& l = levels[index[key]];
    const json& arms = points[p]["arms"];
    for (size_t a = 0; a < arm_names.size() && a < arms.size(); ++a) {
      const json& f = arms[a]["fatalities"];
      l.mean[a] += get(f, "mean", 0);
      l.lo[a] += at(f["ci95"], 0);
      l.hi[a] += at(f["ci95"], 1);
    }
    ++l.n;
  }
  for (Level& l : levels)
    for (size_t a = 0; a < arm_names.size(); ++a) {
      l.mean[a] /= l.n;
      l.lo[a] /= l.n;
      l.hi[a] /= l.n;
    }
  if (categorical)
    for (size_t i = 0; i < levels.size(); ++i) levels[i].x = static_cast<double>(i);
  std::stable_sort(levels.begin(), levels.end(),
                   [](const Level& a, const Level& b) { return a.x < b.x; });
  Svg sv;
  sv.id = "response-" + std::to_string(j);
  sv.title = "Response of fatalities to " + param;
  const double left = 70, right = 20, top = 40, plot_h = 260;
  sv.h = top + plot_h + 56 + 18 * std::ceil(static_cast<double>(arm_names.size()) / 5.0) + 10;
  double xlo = levels.empty() ? 0 : levels.front().x, xhi = levels.empty() ? 1 : levels.back().x;
  if (xhi <= xlo) xhi = xlo + 1;
  const double pad = (xhi - xlo) * 0.04;
  double yhi = 0;
  for (const Level& l : levels)
    for (size_t a = 0; a < arm_names.size(); ++a) yhi = std::max({yhi, l.hi[a], l.mean[a]});
  const auto yt = ticks(0, yhi > 0 ? yhi : 1);
  Scale x{xlo - pad, xhi + pad, left, sv.w - right};
  Scale y{0, yt.back(), top + plot_h, top};
  sv.heading();
  sv.y_axis(y, left, "fatalities over the horizon", sv.w - right);
  if (categorical) {
    sv.line(x.p0, top + plot_h, x.p1, top + plot_h, "class=\"axis\"");
    for (const Level& l : levels)
      sv.text(x(l.x), top + plot_h + 16, l.label, "class=\"tick\" text-anchor=\"middle\"");
    sv.text((x.p0 + x.p1) / 2, top + plot_h + 34, param, "class=\"label\" text-anchor=\"middle\"");
  } else {
    sv.x_axis(x, top + plot_h, param, true, top);
  }
  // Baseline: band (grid) or whiskers (sampled designs), then every arm's line.
  if (grid && levels.size() > 1) {
    std::string band = "M";
    for (size_t i = 0; i < levels.size(); ++i)
      band += (i ? " L" : "") + px(x(levels[i].x)) + " " + px(y(levels[i].hi[0]));
    for (size_t i = levels.size(); i-- > 0;)
      band += " L" + px(x(levels[i].x)) + " " + px(y(levels[i].lo[0]));
    sv.body += "<path class=\"band\" d=\"" + band + " Z\" fill=\"" + colour(0) +
               "\" fill-opacity=\"0.18\" stroke=\"none\"/>\n";
  }
  std::vector<std::pair<std::string, std::string>> legend;
  for (size_t a = arm_names.size(); a-- > 0;) {
    std::string d, pts;
    for (size_t i = 0; i < levels.size(); ++i) {
      const Level& l = levels[i];
      d += (i ? " L" : "M") + px(x(l.x)) + " " + px(y(l.mean[a]));
      if (a == 0 && !grid) {
        sv.line(x(l.x), y(l.lo[0]), x(l.x), y(l.hi[0]), "class=\"ci\" stroke-opacity=\"0.6\"");
      }
      pts += "<circle class=\"pt\" cx=\"" + px(x(l.x)) + "\" cy=\"" + px(y(l.mean[a])) + "\" r=\"" +
             (a == 0 ? "3.5" : "2.2") + "\" fill=\"" + colour(a) + "\"/>\n";
    }
    sv.body += "<g class=\"series\" data-series=\"" + esc(arm_names[a]) + "\">\n";
    if (grid)
      sv.body += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + colour(a) +
                 "\" stroke-width=\"" + (a == 0 ? "2.5" : "1.4") + "\"" +
                 (dash(a).empty() ? "" : " stroke-dasharray=\"" + dash(a) + "\"") + "/>\n";
    sv.body += pts + "</g>\n";
  }
  for (size_t a = 0; a < arm_names.size(); ++a) legend.emplace_back(arm_names[a], colour(a));
  sv.legend(left, top + plot_h + 56, legend, grid);
  std::vector<std::string> head = {esc(param), "baseline mean", "baseline 95% CI"};
  for (size_t a = 1; a < arm_names.size(); ++a) head.push_back(esc(arm_names[a]));
  if (grid) head.push_back("points averaged");
  std::vector<std::vector<std::string>> t;
  for (const Level& l : levels) {
    std::vector<std::string> r = {esc(l.label), num(l.mean[0]), interval(l.lo[0], l.hi[0])};
    for (size_t a = 1; a < arm_names.size(); ++a) r.push_back(num(l.mean[a]));
    if (grid) r.push_back(std::to_string(l.n));
    t.push_back(r);
  }
  return figure(
      sv,
      grid ? "Mean fatalities over the horizon at each value of <code>" + esc(param) +
                 "</code>, averaged over the other parameters of the grid. The band is the "
                 "average of the points' 95% intervals for the baseline (conservative: the "
                 "points share random numbers). Thinner lines: the other arms."
           : "Each point of the design: baseline mean fatalities over the horizon with its 95% "
             "interval, against <code>" +
                 esc(param) + "</code> (the other parameters vary too).",
      table(head, t));
}

std::string tornado_chart(const json& s, const std::string& metric) {
  const json& sens = s["sensitivity"][metric];
  const json& params = s["parameters"];
  struct Row {
    std::string p;
    double src, prcc;
  };
  std::vector<Row> rows;
  for (size_t j = 0; j < params.size(); ++j)
    rows.push_back({params[j].get<std::string>(), at(sens["src"], j), at(sens["prcc"], j)});
  auto key = [](const Row& r) {
    return std::max(std::isfinite(r.src) ? std::fabs(r.src) : 0,
                    std::isfinite(r.prcc) ? std::fabs(r.prcc) : 0);
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const Row& a, const Row& b) { return key(a) > key(b); });
  Svg sv;
  sv.id = "tornado-" + metric;
  for (char& c : sv.id)
    if (c == '.') c = '-';
  sv.title = "Sensitivity of " + metric + " to each parameter";
  size_t longest = 4;
  for (const auto& r : rows) longest = std::max(longest, r.p.size());
  const double left = std::min(300.0, 16 + 6.6 * static_cast<double>(longest)), right = 30;
  const double top = 40, row_h = 40;
  const double bottom = top + row_h * static_cast<double>(rows.size());
  sv.h = bottom + 76;
  Scale x{-1.2, 1.2, left, sv.w - right};  // room for the value labels
  sv.heading();
  sv.x_axis(x, bottom + 4, "index (−1 … 1): SRC and PRCC", true, top - 4);
  sv.line(x(0), top - 4, x(0), bottom + 4, "class=\"zero\"");
  std::vector<std::vector<std::string>> t;
  for (size_t i = 0; i < rows.size(); ++i) {
    const double y0 = top + row_h * static_cast<double>(i);
    sv.text(left - 8, y0 + row_h / 2 + 4, rows[i].p, "class=\"tick\" text-anchor=\"end\"");
    const std::pair<double, const char*> bars[] = {{rows[i].src, "src"}, {rows[i].prcc, "prcc"}};
    for (int k = 0; k < 2; ++k) {
      const double v = bars[k].first;
      if (!std::isfinite(v)) continue;
      sv.rect(x(0), y0 + 5 + k * 15, x(v) - x(0), 13,
              std::string("class=\"bar\" data-index=\"") + bars[k].second + "\" data-series=\"" +
                  esc(rows[i].p) + "\" fill=\"" + (k == 0 ? "#0072B2" : "#E69F00") + "\"");
      sv.text(v >= 0 ? x(v) + 4 : x(v) - 4, y0 + 16 + k * 15, num(v, 2),
              std::string("class=\"note\" text-anchor=\"") + (v >= 0 ? "start" : "end") + "\"");
    }
    t.push_back({"<code>" + esc(rows[i].p) + "</code>", num(rows[i].src, 3), num(rows[i].prcc, 3)});
  }
  sv.legend(left, bottom + 62,
            {{"SRC (standardized regression coefficient)", "#0072B2"},
             {"PRCC (partial rank correlation)", "#E69F00"}});
  return figure(sv,
                "Global sensitivity of baseline <code>" + esc(metric) +
                    "</code> over the sweep's points, most influential parameter on top. SRC "
                    "measures a linear effect (R² of the regression: " +
                    num(get(sens, "r2"), 3) +
                    "); PRCC a monotone one. The sign says the direction of the effect.",
                table({"parameter", "SRC", "PRCC"}, t));
}

std::string sweep_report(const json& s) {
  const std::string name = str(s.value("scenario", json::object()), "name", "pkrisk sweep");
  const json& points = s.value("points", json::array());
  const size_t n_arms = points.empty() ? 0 : points[0]["arms"].size();
  std::string b = "<header>\n<h1>" + esc(name) + "</h1>\n<p class=\"sub\">pkrisk sweep report — " +
                  esc(str(s, "design")) + " design, " + std::to_string(points.size()) +
                  " points × " + std::to_string(n_arms) + " arms, " +
                  with_commas(get(s, "replications", 0)) +
                  " replications each, the same random numbers at every point</p>\n" +
                  provenance(s, "sweep") + "</header>\n";
  b += overview_html(s.value("overview", json()));
  const json& params = s.value("parameters", json::array());
  b += "<h2>Response curves</h2>\n";
  for (size_t j = 0; j < params.size(); ++j)
    b += response_chart(s, j, params[j].get<std::string>());
  const json& sens = s.value("sensitivity", json::object());
  if (!sens.empty()) {
    b += "<h2>Sensitivity</h2>\n";
    if (sens.contains("fatalities")) b += tornado_chart(s, "fatalities");
    std::vector<std::string> head = {"metric", "R²"};
    for (const auto& p : params) head.push_back("<code>" + esc(p.get<std::string>()) + "</code>");
    std::vector<std::vector<std::string>> t;
    for (auto it = sens.begin(); it != sens.end(); ++it) {
      std::vector<std::string> r = {esc(it.key()), num(get(it.value(), "r2"), 3)};
      for (size_t j = 0; j < params.size(); ++j)
        r.push_back(num(at(it.value()["src"], j), 2) + " / " + num(at(it.value()["prcc"], j), 2));
      t.push_back(r);
    }
    b += "<h3>Every metric (SRC / PRCC)</h3>\n" + table(head, t);
  }
  b += "<h2>Every point</h2>\n";
  std::vector<std::string> head = {"point"};
  for (const auto& p : params) head.push_back("<code>" + esc(p.get<std::string>()) + "</code>");
  head.push_back("baseline fatalities [95% CI]");
  if (!points.empty())
    for (size_t a = 1; a < n_arms; ++a) head.push_back(esc(str(points[0]["arms"][a], "name")));
  std::vector<std::vector<std::string>> t;
  for (const auto& p : points) {
    std::vector<std::string> r = {str(p, "index")};
    for (const auto& q : params) {
      const json& v = p["parameters"].value(q.get<std::string>(), json());
      r.push_back(esc(label_of(v)));
    }
    const json& f = p["arms"][0]["fatalities"];
    r.push_back(num(get(f, "mean")) + " " + interval(at(f["ci95"], 0), at(f["ci95"], 1)));
    for (size_t a = 1; a < p["arms"].size(); ++a)
      r.push_back(num(get(p["arms"][a]["fatalities"], "mean")));
    t.push_back(r);
  }
  b += "<p>Mean fatalities over the horizon in every arm, at every point of the design.</p>\n" +
       table(head, t);
  return page(name, b);
}

}  // namespace

std::string html_report(const json& summary) {
  if (summary.contains("points")) return sweep_report(summary);
  return run_report(summary);
}

}  // namespace pk
