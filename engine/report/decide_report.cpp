#include "report/decide_report.hpp"

#include <algorithm>
#include <cmath>

#include "report/html_page.hpp"
#include "report/svg.hpp"

namespace pk {

namespace {

using namespace html;

std::string p_best_figure(const json& r) {
  std::vector<BarRow> rows;
  std::vector<std::vector<std::string>> t;
  size_t i = 0;
  for (const auto& a : r["arms"]) {
    BarRow b;
    b.label = a["name"].get<std::string>();
    b.value = a["p_best"].get<double>();
    b.colour = colour(i++);
    rows.push_back(b);
    t.push_back({esc(b.label), prob(b.value), num(a["fatalities_per_year"].get<double>()),
                 interval(a["ui90"][0].get<double>(), a["ui90"][1].get<double>()),
                 usd(a["cost_per_year_usd"].get<double>())});
  }
  return figure(
      hbar_chart("p-best", "Probability each arm is best", "share of draws", rows),
      "At each draw of the uncertain inputs, the arm with the highest expected net "
      "benefit given them (" +
          esc(r["settings"]["objective"].get<std::string>()) +
          "); the share of draws each arm wins. " + esc(r["p_best_method"].get<std::string>()) +
          ".",
      table({"arm", "P(best)", "fatalities / year", "90% uncertainty", "cost / year"}, t));
}

std::string evppi_figure(const json& r) {
  const json& v = r["decide"];
  std::vector<BarRow> rows;
  std::vector<std::vector<std::string>> t;
  for (const auto& e : v["evppi"]) {
    std::string names;
    for (const auto& p : e["parameters"]) {
      if (!names.empty()) names += ", ";
      names += p.get<std::string>();
    }
    BarRow b;
    b.label = e.contains("group") ? e["group"].get<std::string>() + " (group)" : names;
    b.value = e["value"].get<double>();
    const double se = e["se"].get<double>();
    b.lo = std::max(0.0, b.value - 1.96 * se);
    b.hi = b.value + 1.96 * se;
    b.colour = colour(0);
    rows.push_back(b);
    t.push_back({esc(b.label), esc(names), num(b.value), num(se), num(e["r2"].get<double>())});
  }
  const std::string units = v["units"].get<std::string>();
  return figure(hbar_chart("evppi", "Value of knowing each input (EVPPI)", units, rows),
                "What perfect knowledge of each input (or group) would be worth before choosing, "
                "ranked; whiskers: ±1.96 standard errors of the regression. EVPI (every input): " +
                    num(v["evpi"].get<double>()) + " " + esc(units) +
                    ". docs/decide.md says when "
                    "not to trust these.",
                table({"input", "paths", "EVPPI", "se", "R² of the fit"}, t));
}

std::string ceac_figure(const json& r) {
  Svg sv;
  sv.id = "ceac";
  sv.title = "Cost-effectiveness acceptability";
  const double left = 60, right = 20, top = 40, plot_h = 200;
  const Scale x{1e5, 1e8, left, sv.w - right, false, true};
  const Scale y{0, 1, top + plot_h, top};
  sv.heading();
  sv.y_axis(y, left, "P(best)", sv.w - right);
  sv.x_axis(x, top + plot_h, "value of a death averted, USD", true, top);
  std::vector<std::string> arms;
  for (const auto& a : r["arms"]) arms.push_back(a["name"].get<std::string>());
  std::vector<std::pair<std::string, std::string>> legend;
  std::vector<std::vector<std::string>> t;
  for (size_t a = 0; a < arms.size(); ++a) {
    std::string d;
    for (const auto& c : r["ceac"]) {
      const double w = c["wtp"].get<double>();
      if (w < 1e5 || w > 1e8) continue;
      d += (d.empty() ? "M" : " L") + px(x(w)) + " " + px(y(c[arms[a]].get<double>()));
    }
    sv.body += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + colour(a) +
               "\" stroke-width=\"1.8\"" +
               (dash(a).empty() ? "" : " stroke-dasharray=\"" + dash(a) + "\"") + "/>\n";
    legend.emplace_back(arms[a], colour(a));
  }
  sv.legend(left, top + plot_h + 46, legend, true);
  for (const auto& c : r["ceac"])
    t.push_back({usd(c["wtp"].get<double>()), esc(c["optimal"].get<std::string>()),
                 prob(c["p_optimal"].get<double>())});
  return figure(sv,
                "At each value of a death averted, the share of draws at which each arm has the "
                "highest net benefit (the CEAC). Beneath: the arm with the highest expected net "
                "benefit, the one to choose, and how often it is best (the CEAF).",
                table({"value of a death averted", "best on expectation", "P(it is best)"}, t));
}

std::string plane_figure(const DecideSample& s) {
  Svg sv;
  sv.id = "ce-plane";
  sv.title = "Cost-effectiveness plane, draw by draw";
  const double left = 80, right = 20, top = 40, plot_h = 240;
  // At most 300 draws per arm: enough to see the cloud, small enough to print.
  const size_t step = std::max<size_t>(1, s.x.size() / 300);
  double lx = 0, hx = 0, ly = 0, hy = 0;
  for (size_t d = 0; d < s.x.size(); d += step)
    for (size_t a = 1; a < s.arms.size(); ++a) {
      const double saved = s.fatalities[d][0] - s.fatalities[d][a];
      lx = std::min(lx, saved), hx = std::max(hx, saved);
      ly = std::min(ly, s.cost[d][a]), hy = std::max(hy, s.cost[d][a]);
    }
  const std::vector<double> xt = ticks(lx, hx), yt = ticks(ly, std::max(hy, 1.0));
  const Scale x{xt.front(), xt.back(), left, sv.w - right};
  const Scale y{yt.front(), yt.back(), top + plot_h, top};
  sv.heading();
  sv.y_axis(y, left, "cost per year, USD", sv.w - right);
  sv.x_axis(x, top + plot_h, "lives saved per year", true, top);
  std::vector<std::pair<std::string, std::string>> legend;
  for (size_t a = 1; a < s.arms.size(); ++a) {
    sv.body += "<g class=\"series\" data-series=\"" + esc(s.arms[a]) + "\">\n";
    for (size_t d = 0; d < s.x.size(); d += step)
      sv.body += "<circle cx=\"" + px(x(s.fatalities[d][0] - s.fatalities[d][a])) + "\" cy=\"" +
                 px(y(s.cost[d][a])) + "\" r=\"1.8\" fill=\"" + colour(a) +
                 "\" fill-opacity=\"0.45\"/>\n";
    sv.body += "</g>\n";
    legend.emplace_back(s.arms[a], colour(a));
  }
  sv.legend(left, top + plot_h + 46, legend);
  return figure(sv,
                "Each point: one draw of the uncertain inputs, the lives an arm saved against the "
                "baseline that year and what it cost. A cloud that crosses zero on the horizontal "
                "axis is an arm that may cost lives (with few replications per draw, part of the "
                "spread is the simulation's noise).",
                "");
}

}  // namespace

std::string decide_html(const json& result, const DecideSample& sample,
                        const std::string& scenario_name) {
  std::string body = "<h1>Decision under uncertain inputs: " + esc(scenario_name) + "</h1>\n";
  const json& st = result["settings"];
  body += "<p>" + plain(st["draws"].get<double>()) + " draws of " +
          std::to_string(sample.inputs.size()) + " uncertain inputs, " +
          plain(st["reps_per_draw"].get<double>()) +
          " replications of every arm at each draw, "
          "seed " +
          plain(st["seed"].get<double>()) + "; objective " +
          esc(st["objective"].get<std::string>()) + ".</p>\n";
  body += p_best_figure(result) + plane_figure(sample) + ceac_figure(result) + evppi_figure(result);
  return page("pkrisk decide: " + scenario_name, body);
}

}  // namespace pk
