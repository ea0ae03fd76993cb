#include "report/sweep_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "experiment/result_read.hpp"
#include "experiment/sweep.hpp"
#include "report/html_page.hpp"
#include "report/svg.hpp"
#include "stats/sensitivity.hpp"

namespace pk::html {

namespace {

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
  const std::vector<std::string> labels = sweep_parameter_labels(s, param);
  for (size_t p = 0; p < points.size(); ++p) {
    const json& v = points[p]["parameters"].value(param, json());
    const std::string key = grid ? v.dump() : std::to_string(p);
    if (!index.count(key)) {
      index[key] = levels.size();
      Level l;
      l.label = labels[p];
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
    for (const Level& l : levels) sv.centred_label(x(l.x), top + plot_h + 16, l.label);
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
    const RoundedEstimate base = round_estimate(l.mean[0], l.lo[0], l.hi[0]);
    std::vector<std::string> r = {esc(l.label), base.value, "[" + base.lo + ", " + base.hi + "]"};
    for (size_t a = 1; a < arm_names.size(); ++a)
      r.push_back(round_estimate(l.mean[a], l.lo[a], l.hi[a]).value);
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

// A PRCC, or why there is none (summary "prcc_not_estimable", docs/model.md §6).
std::string prcc_cell(const json& sens, double v, int digits) {
  return sens.contains("prcc_not_estimable") ? "not estimable" : num(v, digits);
}

std::string prcc_note(const json& sens) {
  if (!sens.contains("prcc_not_estimable")) return "";
  const std::string why = str(sens, "prcc_not_estimable");
  return " PRCC not estimable (" + esc(why) + ")" +
         (why == kNoResidualVariation
              ? ": the points share random numbers, so the response's ranks are an exact linear "
                "function of the parameters' ranks and every PRCC would be ±1 whatever the "
                "effect; read the SRC."
              : ".");
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
  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r.p);
  const double left = label_margin(names, 300, sv), right = 30;
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
    t.push_back({"<code>" + esc(rows[i].p) + "</code>", num(rows[i].src, 3),
                 prcc_cell(sens, rows[i].prcc, 3)});
  }
  sv.legend(left, bottom + 62,
            {{"SRC (standardized regression coefficient)", "#0072B2"},
             {"PRCC (partial rank correlation)", "#E69F00"}});
  return figure(sv,
                "Global sensitivity of baseline <code>" + esc(metric) +
                    "</code> over the sweep's points, most influential parameter on top. SRC "
                    "measures a linear effect (R² of the regression: " +
                    num(get(sens, "r2"), 3) +
                    "); PRCC a monotone one. The sign says the direction of the effect." +
                    prcc_note(sens),
                table({"parameter", "SRC", "PRCC"}, t));
}

}  // namespace

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
        r.push_back(num(at(it.value()["src"], j), 2) + " / " +
                    prcc_cell(it.value(), at(it.value()["prcc"], j), 2));
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
  std::vector<std::vector<std::string>> t, labels;
  for (const auto& q : params) labels.push_back(sweep_parameter_labels(s, q.get<std::string>()));
  for (size_t i = 0; i < points.size(); ++i) {
    const json& p = points[i];
    std::vector<std::string> r = {str(p, "index")};
    for (const auto& l : labels) r.push_back(esc(l[i]));
    r.push_back(rounded(p["arms"][0]["fatalities"]).with_interval());
    for (size_t a = 1; a < p["arms"].size(); ++a)
      r.push_back(rounded(p["arms"][a]["fatalities"]).value);
    t.push_back(r);
  }
  b += "<p>Mean fatalities over the horizon in every arm, at every point of the design.</p>\n" +
       table(head, t);
  return page(name, b);
}

}  // namespace pk::html
