#include "report/run_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "experiment/result_read.hpp"
#include "report/html_page.hpp"
#include "report/svg.hpp"
#include "scenario/threats.hpp"

namespace pk::html {

namespace {

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

// The interval method of a result object, for a table column.
std::string method_of(const json& o) {
  return esc(str(o, "ci_method", "t"));
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
    const RoundedEstimate fe = rounded(f);
    t.push_back({esc(arms[i].name), fe.value, "[" + fe.lo + ", " + fe.hi + "]", method_of(f),
                 rounded(a["kia"]).value, rounded(a["dow"]).value, rounded(a["wia"]).value,
                 plain(get(f, "p95")), rounded(py).with_interval(),
                 rounded(pa, 100, "p").with_interval() + " % " + method_of(pa)});
  }
  Svg s = hbar_chart("fatalities-per-arm", "Expected fatalities per year, by arm",
                     "fatalities (KIA + DOW) per year, mean with 95% CI", rows);
  return figure(
      s,
      "Mean fatalities per mission-year in each arm (bar) with the 95% confidence "
      "interval of the mean (whisker). Numbers are rounded to the second significant "
      "digit of their interval's half-width.",
      table({"arm", "fatalities (horizon)", "95% CI", "CI method", "KIA", "DOW", "WIA", "P95",
             "per 1,000 personnel-years [95% CI]", "P(≥1 fatality) [95% CI], method"},
            t));
}

// A long table of numbers, folded away under a summary line.
std::string collapsed(const std::string& summary, const std::string& table_html) {
  return "<details>\n<summary>" + summary + "</summary>\n" + table_html + "</details>\n";
}

std::string histogram_chart(const std::vector<ArmView>& arms) {
  Svg s;
  s.id = "fatality-histogram";
  s.title = "Distribution of fatalities over the horizon, by arm";
  const double panel_h = 150, top = 36, left = 64, gap_x = 40, gap_y = 62;
  // Panel titles (bold, about 1.2 times a tick label's width) are never
  // clipped: one column when a name does not fit half the chart, and a wider
  // chart when it does not fit the whole.
  size_t longest = 0;
  for (const auto& a : arms) longest = std::max(longest, a.name.size());
  const double title_w = 1.2 * text_width(longest) + 8;
  const size_t cols = arms.size() > 1 && title_w <= (s.w - left - 20 - gap_x) / 2 ? 2 : 1;
  s.w = std::max(s.w, left + 20 + title_w);
  const size_t rows_n = (arms.size() + cols - 1) / cols;
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
    const std::string note = "mean " + rounded((*arms[i].j)["fatalities"]).value;
    const bool room = x(mean) + 4 + text_width(note.size()) <= s.w;  // else left of the line
    s.text(room ? x(mean) + 4 : x(mean) - 4, y0 + 10, note,
           room ? "class=\"note\"" : "class=\"note\" text-anchor=\"end\"");
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
                collapsed("Replication counts by number of fatalities (" +
                              std::to_string(t.size()) + " rows)",
                          table(head, t)));
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
                collapsed("P(more than n fatalities) by n (" + std::to_string(t.size()) + " rows)",
                          table(head, t)));
}

// What an arm buys, as the report says it: the verdict (stats/comparison.hpp)
// and, for an arm with a cost per life, that cost with Fieller's interval.
struct Purchase {
  Verdict verdict = Verdict::kNoSignificantEffect;
  double cost_per_life = kNaN;
  Interval ci{kNaN, kNaN};
  std::string fieller_case;  // of the cost per life ("bounded", "exclusive", "unbounded")
};

Purchase purchase_of(const json& arm) {
  const json& vs = arm.value("vs_baseline", json::object());
  Purchase p;
  p.verdict = verdict_of(vs, get(arm, "cost_usd", 0));
  p.fieller_case = str(vs.value("cost_per_fatality_averted_fieller", json::object()), "case");
  if (p.verdict == Verdict::kCostPerLife) {
    p.cost_per_life = get(vs, "cost_per_fatality_averted");
    p.ci = interval_of(vs.value("cost_per_fatality_averted_ci95", json::array()));
  }
  return p;
}

// The cost per life with its interval, in USD at the precision it supports.
std::string cost_text(const Purchase& p, bool with_interval) {
  const RoundedEstimate e = round_estimate(p.cost_per_life, p.ci.lo, p.ci.hi, true);
  return "USD " + (with_interval ? e.with_interval() : e.value);
}

// The verdict in words, with the cost per life when it has one.
std::string purchase_text(const Purchase& p) {
  if (p.verdict != Verdict::kCostPerLife || !std::isfinite(p.cost_per_life))
    return verdict_words(p.verdict);
  return cost_text(p, false) + " per life saved";
}

// The cost-per-life chart keeps its scale when one arm's small effect makes
// its cost per life (or its interval) far larger than the others': the axis is
// logarithmic once the values drawn span more than a factor of 10, and the
// caption says so.
std::string cost_chart(const std::vector<BarRow>& cost) {
  double lo = HUGE_VAL, hi = 0;
  for (const BarRow& r : cost)
    for (double v : {r.value, r.lo, r.hi})
      if (std::isfinite(v) && v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
  const bool log = hi > 10 * lo;
  std::string caption =
      "The package cost divided by the fatalities it averts over the horizon, for the arms whose "
      "interval of lives saved lies above zero and that cost something (a free arm that saves "
      "lives is dominant: it has no cost per life). Whiskers: Fieller's interval; an arrow "
      "means the interval is unbounded above (the data cannot exclude a tiny effect).";
  if (log)
    caption += " <strong>Logarithmic axis</strong>: the values drawn span a factor of " +
               plain(std::round(hi / lo)) + " (" + usd(lo * 1e6) + " to " + usd(hi * 1e6) +
               "): an arm with a small effect has a cost per life far above the others', which "
               "a linear axis would squash to nothing.";
  return figure(hbar_chart("cost-per-life", "Cost per life saved",
                           std::string("USD millions per fatality averted, with 95% CI") +
                               (log ? " (log scale)" : ""),
                           cost, log),
                caption, "");
}

std::string mitigation_charts(const std::vector<ArmView>& arms, double years) {
  if (arms.size() < 2) return "";
  std::vector<BarRow> saved, cost;
  std::vector<std::vector<std::string>> t;
  for (size_t i = 1; i < arms.size(); ++i) {
    const json& a = *arms[i].j;
    const json& vs = a.value("vs_baseline", json::object());
    const json& diff = vs.value("fatalities_diff", json::object());
    const Interval d = interval_of(diff.value("ci95", json::array()));
    const double per_year = get(vs, "lives_saved_per_year", 0);
    const double lo = -d.hi / years, hi = -d.lo / years;
    const Purchase p = purchase_of(a);
    saved.push_back({arms[i].name, per_year, lo, hi, colour(i), purchase_text(p), arms[i].name});
    if (std::isfinite(p.cost_per_life))
      cost.push_back({arms[i].name, p.cost_per_life / 1e6, p.ci.lo / 1e6, p.ci.hi / 1e6, colour(i),
                      "", arms[i].name});
    const Interval rrr = interval_of(vs.value("rrr_ci95", json::array()));
    const std::string rrr_case = str(vs.value("rrr_fieller", json::object()), "case", "bounded");
    const RoundedEstimate rr = round_estimate(100 * get(vs, "rrr", 0), 100 * rrr.lo, 100 * rrr.hi);
    const double horizon_cost = get(a, "cost_usd", 0);
    t.push_back(
        {esc(arms[i].name),
         horizon_cost > 0 ? usd(horizon_cost) + " (" + usd(horizon_cost / years) + "/yr)" : "–",
         round_estimate(per_year, lo, hi).with_interval() + " " + method_of(diff),
         rrr_case == "bounded" ? rr.with_interval() + " %"
                               : rr.value + " % (Fieller " + esc(rrr_case) + ")",
         esc(verdict_words(p.verdict)), std::isfinite(p.cost_per_life) ? cost_text(p, true) : "–",
         p.fieller_case.empty() ? "–" : esc(p.fieller_case),
         num(get(vs, "variance_reduction", kNaN), 3)});
  }
  std::string out = figure(
      hbar_chart("lives-saved", "Lives saved per year by each mitigation",
                 "fatalities averted per mission-year, mean with 95% CI (paired)", saved),
      "Fatalities averted per mission-year against the baseline, paired on common random "
      "numbers; whiskers are 95% confidence intervals. Right: what the arm buys. "
      "<strong>Dominant</strong>: it saves lives (the whole interval above zero) at no cost; "
      "<strong>dominated</strong>: it costs lives (the whole interval below zero) and costs no "
      "less than the baseline; <strong>no significant effect</strong>: the interval includes "
      "zero, so no cost per life is given; otherwise the cost per life saved.",
      table({"arm", "cost over the horizon (per year)", "lives saved / year [95% CI], method",
             "relative risk reduction [95% CI]", "verdict", "cost per life saved [95% CI]",
             "Fieller case of the cost per life", "variance reduction from pairing"},
            t));
  if (!cost.empty()) out += cost_chart(cost);
  return out;
}

// The mean fatalities of cause `c` in an arm's JSON (0 when the result has none).
double cause_mean(const json& arm, const ThreatType& c) {
  return get(arm.value(std::string("fatalities_by_cause.") + c.name, json::object()), "mean", 0);
}

std::string cause_chart(const std::vector<ArmView>& arms) {
  Svg s;
  s.id = "by-cause";
  s.title = "Fatalities by cause, by arm";
  std::vector<std::string> names;
  for (const auto& a : arms) names.push_back(a.name);
  const double left = label_margin(names, 240, s), right = 30;
  const double top = 40, row_h = 26;
  const double bottom = top + row_h * static_cast<double>(arms.size());
  s.h = bottom + 80;
  double hi = 0;
  for (const auto& a : arms) {
    double sum = 0;
    for (const ThreatType& c : threat_types()) sum += cause_mean(*a.j, c);
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
    for (const ThreatType& c : threat_types()) {
      const double m = cause_mean(*arms[i].j, c);
      if (m > 0)
        s.rect(x(acc), yc - 9, x(acc + m) - x(acc), 18,
               "class=\"seg\" data-series=\"" + esc(arms[i].name) + "\" data-cause=\"" + c.name +
                   "\" fill=\"" + c.colour + "\" stroke=\"#fff\" stroke-width=\"0.5\"");
      acc += m;
      r.push_back(
          rounded(arms[i].j->value(std::string("fatalities_by_cause.") + c.name, json::object()))
              .value);
    }
    r.push_back(rounded(arms[i].j->value("fatalities_malicious", json::object())).value);
    r.push_back(rounded((*arms[i].j)["fatalities"]).value);  // KIA + DOW: the causes' sum
    t.push_back(r);
  }
  std::vector<std::pair<std::string, std::string>> legend;
  std::vector<std::string> head = {"arm"};
  for (const ThreatType& c : threat_types()) {
    legend.emplace_back(c.label, c.colour);
    head.push_back(esc(c.label));
  }
  head.push_back("malicious acts");
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
  for (const std::string group : {"fatalities_by_movement.", "fatalities_by_site."})
    for (auto it = base.begin(); it != base.end(); ++it)
      if (it.key().starts_with(group))
        places.push_back({group == "fatalities_by_movement." ? "movement" : "site",
                          it.key().substr(group.size()), it.key(), get(it.value(), "mean", 0)});
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
      r.push_back(a.j->contains(p.key) ? rounded((*a.j)[p.key]).value : "n/a");
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

// A few sentences a planner can read first; every number is in a chart below.
std::string key_findings(const std::vector<ArmView>& arms, double years) {
  const json& base = *arms[0].j;
  const json& f = base["fatalities"];
  std::string h = "<section class=\"findings\">\n<h2>Key findings</h2>\n<ul>\n";
  h += "<li>Baseline: <strong>" + rounded(f, 1 / years).value +
       " fatalities per year</strong> (95% CI [" + rounded(f, 1 / years).lo + ", " +
       rounded(f, 1 / years).hi + "]), " +
       rounded(base.value("fatalities_per_1000py", json::object())).value +
       " per 1,000 personnel-years; a 1-in-20 chance of " + plain(get(f, "p95")) +
       " or more over the horizon (P95).</li>\n";
  // The verdicts come from stats/comparison.hpp; a cost per life is compared
  // only between arms that have one (never "cheapest: USD 0" for a free arm).
  size_t best = 0, cheapest = 0;
  double best_saved = 0, best_cost = HUGE_VAL;
  std::string group[4];  // arm names by verdict
  for (size_t i = 1; i < arms.size(); ++i) {
    const json& vs = arms[i].j->value("vs_baseline", json::object());
    const Purchase p = purchase_of(*arms[i].j);
    const double saved = get(vs, "lives_saved_per_year", 0);
    const bool saves = p.verdict == Verdict::kDominant || p.verdict == Verdict::kCostPerLife;
    if (saves && saved > best_saved) best_saved = saved, best = i;
    if (std::isfinite(p.cost_per_life) && p.cost_per_life < best_cost)
      best_cost = p.cost_per_life, cheapest = i;
    std::string& g = group[static_cast<int>(p.verdict)];
    g += (g.empty() ? "<strong>" : ", <strong>") + esc(arms[i].name) + "</strong>";
  }
  if (best) {
    const json& vs = (*arms[best].j)["vs_baseline"];
    const Interval d =
        interval_of(vs.value("fatalities_diff", json::object()).value("ci95", json()));
    h += "<li>Most lives saved: <strong>" + esc(arms[best].name) + "</strong>, " +
         round_estimate(best_saved, -d.hi / years, -d.lo / years).value + " per year.</li>\n";
  }
  if (!group[static_cast<int>(Verdict::kDominant)].empty())
    h += "<li>Dominant (saves lives at no cost): " + group[static_cast<int>(Verdict::kDominant)] +
         ".</li>\n";
  if (cheapest)
    h += "<li>Lowest cost per life saved: <strong>" + esc(arms[cheapest].name) + "</strong>, " +
         cost_text(purchase_of(*arms[cheapest].j), true) + " per fatality averted.</li>\n";
  if (!group[static_cast<int>(Verdict::kDominated)].empty())
    h += "<li>Dominated (more fatalities than the baseline, at no lower cost): " +
         group[static_cast<int>(Verdict::kDominated)] + ".</li>\n";
  if (!group[static_cast<int>(Verdict::kNoSignificantEffect)].empty())
    h += "<li>No significant effect (the interval of the change includes zero): " +
         group[static_cast<int>(Verdict::kNoSignificantEffect)] + ".</li>\n";
  if (arms.size() > 1 && !best)
    h += "<li>No arm shows a reduction of fatalities that its confidence interval "
         "supports.</li>\n";
  return h + "</ul>\n</section>\n";
}

}  // namespace

// 10-1-2 for T1 casualties, per arm with a care chain (docs/model.md §3.6):
// a table, empty when no arm has one.
std::string care_section(const std::vector<ArmView>& arms) {
  std::vector<std::vector<std::string>> rows;
  const auto share = [](const json& c, const char* key) -> std::string {
    if (!c.contains(key) || !c[key].is_object()) return "—";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f%% [%.1f, %.1f]", 100 * get(c[key], "share", 0),
                  100 * c[key]["ci95"][0].get<double>(), 100 * c[key]["ci95"][1].get<double>());
    return buf;
  };
  for (const auto& a : arms) {
    if (!a.j->contains("care_10_1_2")) continue;
    const json& c = (*a.j)["care_10_1_2"];
    rows.push_back({esc(a.name), rounded(a.j->value("care.t1", json::object())).value,
                    share(c, "first_aid_10min"), share(c, "advanced_care_1h"),
                    share(c, "surgery_2h"),
                    rounded(a.j->value("care.died_before_first_aid", json::object())).value,
                    rounded(a.j->value("care.died_before_advanced_care", json::object())).value,
                    rounded(a.j->value("care.peak_beds", json::object())).value});
  }
  if (rows.empty()) return "";
  return "<h2>Care of the wounded: 10-1-2</h2>\n<p>The share of T1 (critical) casualties "
         "given first aid within 10 minutes, advanced care within 1 hour and surgery within 2 "
         "hours of injury (95% intervals); deaths before first aid and before advanced care "
         "are counted as killed in action. Means over the horizon.</p>\n" +
         table(
             {"arm", "T1 casualties", "first aid ≤ 10 min", "advanced care ≤ 1 h", "surgery ≤ 2 h",
              "died before first aid", "died before advanced care", "most Role 2 beds taken"},
             rows);
}

// Each arm's lives saved against a static adversary and against the one who
// answers it (docs/model.md §2.9); nothing without adaptive twins.
std::string adversary_section(const std::vector<ArmView>& arms, double years) {
  const auto saved = [years](const json& vs) {
    char buf[96];
    const json& d = vs["fatalities_diff"]["ci95"];
    std::snprintf(buf, sizeof buf, "%.2f [%.2f, %.2f]", get(vs, "lives_saved_per_year", 0),
                  -d[1].get<double>() / years, -d[0].get<double>() / years);
    return std::string(buf);
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : arms) {
    const json& vs = a.j->value("vs_baseline", json::object());
    if (!vs.contains("adaptive")) continue;
    const double st = get(vs, "lives_saved_per_year", 0);
    const double ad = get(vs["adaptive"], "lives_saved_per_year", 0);
    char kept[32] = "—";
    if (st != 0) std::snprintf(kept, sizeof kept, "%.0f%%", 100 * ad / st);
    rows.push_back({esc(a.name), saved(vs), saved(vs["adaptive"]), kept});
  }
  if (rows.empty()) return "";
  return "<h2>Against an adversary who answers</h2>\n<p>Lives saved a year by each arm "
         "against a static adversary and against its adaptive twin, in which the attacks have "
         "moved to the options that pay better under the arm and part of the lethality it took "
         "away has come back (docs/model.md §2.9; 95% intervals, paired on common random "
         "numbers). The adversary's parameters are the scenario's assumptions.</p>\n" +
         table({"arm", "static", "adaptive", "kept"}, rows);
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
  b += adversary_section(arms, years);
  b += "<h2>Where the fatalities come from</h2>\n" + cause_chart(arms) + place_chart(arms);
  b += care_section(arms);
  return page(name, b);
}

}  // namespace pk::html
