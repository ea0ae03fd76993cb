#include "report/select_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "report/html_page.hpp"
#include "report/svg.hpp"
#include "stats/rounding.hpp"

namespace pk {

namespace {

using namespace html;

// Okabe–Ito: blue for the packages on a frontier (and the eliminated ones'
// bars), vermillion for the selected one, orange for those still contending;
// grey for the dominated.
const char* const kDominatedGrey = "#BBBBBB";
std::string selected_colour() {
  return colour(5);
}

// j[k] when it is an array (an object), else an empty one: a result read
// back from a file may lack any key.
const json& select_list(const json& j, const char* k) {
  static const json empty = json::array();
  return j.is_object() && j.contains(k) && j[k].is_array() ? j[k] : empty;
}
const json& select_object(const json& j, const char* k) {
  static const json empty = json::object();
  return j.is_object() && j.contains(k) && j[k].is_object() ? j[k] : empty;
}
bool select_flag(const json& j, const char* k) {
  return j.is_object() && j.contains(k) && j[k].is_boolean() && j[k].get<bool>();
}

// A setting as written in the block (0.95, 0.5, 2,000,000).
std::string setting_text(double v) {
  if (!std::isfinite(v)) return "n/a";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return with_commas(v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A mean with its 95% interval, both rounded by the interval
// (stats/rounding.hpp); the mean alone when the interval is missing.
std::string estimate_text(double v, const json& ci) {
  const double lo = at(ci, 0), hi = at(ci, 1);
  if (!std::isfinite(v)) return "n/a";
  if (std::isnan(lo) || std::isnan(hi)) return num(v);
  return round_estimate(v, lo, hi, true).with_interval();
}
std::string estimate_value(double v, const json& ci) {
  const double lo = at(ci, 0), hi = at(ci, 1);
  if (!std::isfinite(v)) return "n/a";
  if (std::isnan(lo) || std::isnan(hi)) return num(v);
  return round_estimate(v, lo, hi, true).value;
}

// A package's label from its options, as select names it ("a + b=8").
std::string label_of_options(const json& options) {
  std::string l;
  for (const auto& o : options) {
    if (!l.empty()) l += " + ";
    l += o.is_string() ? o.get<std::string>() : o.dump();
  }
  return l.empty() ? "baseline" : l;
}

// At most `max` bytes of `s`, cut between characters (UTF-8) and ended with
// an ellipsis when cut.
std::string shortened(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max - 1;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

// White blended towards (r, g, b) by t in [0, 1].
std::string tint(double t, int r, int g, int b) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  const auto c = [t](int v) { return static_cast<int>(std::lround(255 + (v - 255) * t)); };
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", c(r), c(g), c(b));
  return buf;
}

// What the objective measures, for an axis or a table head.
std::string objective_words(const json& s) {
  const std::string units = str(s, "units", "objective");
  return str(s, "objective") == "net_benefit" ? "net benefit, " + units : units;
}

bool larger_is_better_of(const json& s) {
  return str(s, "objective") == "net_benefit";
}

// The packages best first by their selection-phase objective (unknown last).
std::vector<const json*> best_first(const json& s) {
  const bool larger = larger_is_better_of(s);
  std::vector<const json*> rows;
  for (const auto& p : select_list(s, "packages")) rows.push_back(&p);
  const auto key = [larger](const json* p) {
    const double v = get(*p, "objective");
    return std::isfinite(v) ? (larger ? -v : v) : HUGE_VAL;
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const json* a, const json* b) { return key(a) < key(b); });
  return rows;
}

const json* package_named(const json& s, const std::string& label) {
  for (const auto& p : select_list(s, "packages"))
    if (str(p, "package") == label) return &p;
  return nullptr;
}

// ---- the headline -----------------------------------------------------------

std::string zone_section(const json& s) {
  const std::string units = str(s, "units");
  const std::string delta = setting_text(get(s, "indifference_zone"));
  const json& within = select_list(s, "within_delta");
  const json& near = select_list(select_object(s, "reestimate"), "packages");
  std::string h = "<h3>Packages that may be as good</h3>\n";
  if (within.empty())
    return h + "<p>No other package may be within " + delta + " " + esc(units) +
           " of the selected one: each is worse by more than that, at the run's confidence.</p>\n";
  h += "<p>" + std::to_string(within.size()) +
       (within.size() == 1 ? " package may" : " packages may") + " be within " + delta + " " +
       esc(units) +
       " of the selected one (the indifference zone: the procedure cannot promise which of "
       "them is best, and it does not matter by more than that). Re-estimated on the same "
       "fresh random numbers as the selected one, by how much the selected package does "
       "better; an interval that holds 0 means the two cannot be told apart at this number of "
       "replications.</p>\n";
  std::vector<std::vector<std::string>> t;
  std::vector<std::string> shown;
  for (size_t i = 1; i < near.size(); ++i) {
    const json& f = near[i];
    const json& by = select_object(f, "selected_better_by");
    shown.push_back(str(f, "package"));
    t.push_back({esc(str(f, "package")), usd(get(f, "cost_per_year_usd")),
                 estimate_text(get(f, "objective"), select_list(f, "ci")),
                 estimate_text(get(by, "mean"), select_list(by, "ci")),
                 plain(get(f, "replications"))});
  }
  if (!t.empty())
    h += table({"package", "cost / year", esc(objective_words(s)) + " [95% CI], fresh",
                "the selected one better by [95% CI]", "replications"},
               t);
  std::string rest;
  size_t n_rest = 0;
  for (const auto& w : within) {
    const std::string l = label_of_options(w);
    if (std::find(shown.begin(), shown.end(), l) != shown.end()) continue;
    rest += (rest.empty() ? "" : "; ") + esc(l);
    ++n_rest;
  }
  if (n_rest)
    h += "<p>" + std::to_string(n_rest) +
         " more, not re-estimated (only the closest are run again): " + rest + ".</p>\n";
  return h;
}

std::string headline_section(const json& s) {
  const std::string units = str(s, "units");
  const json& st = select_object(s, "replications_by_stage");
  const json& re = select_object(s, "reestimate");
  const json& near = select_list(re, "packages");
  const size_t k = select_list(s, "packages").size();
  std::string h = "<h2>The selected package</h2>\n";
  std::vector<std::vector<std::string>> t;
  if (!s.contains("selected") || near.empty() || !near[0].is_object()) {
    h += "<p><strong>Nothing selected: the run was interrupted.</strong> The numbers below are "
         "those of the replications run so far; the packages still in contention are marked "
         "<em>contending</em>.</p>\n";
  } else {
    const json& best = near[0];
    const std::string label = str(s, "selected");
    const std::string conf = setting_text(get(s, "confidence"));
    const std::string delta = setting_text(get(s, "indifference_zone"));
    h += "<p>Selected: <strong>" + esc(label) + "</strong>, at " +
         usd(get(best, "cost_per_year_usd")) +
         " a year: " + estimate_text(get(best, "objective"), select_list(best, "ci")) + " " +
         esc(units) + " (95% CI, re-estimated on fresh random numbers over " +
         plain(get(best, "replications")) +
         " replications, so the figure carries no winner's curse).</p>\n";
    const std::string guarantee = "With probability at least " + conf +
                                  " this is the best package, or within " + delta + " " +
                                  esc(units) + " of it.";
    h += "<p><strong>" + guarantee +
         "</strong> (The guarantee of the procedure, for observations near normal; "
         "docs/select.md says when it does not hold.)</p>\n";
    std::string options;
    for (const auto& o : select_list(best, "options"))
      options += (options.empty() ? "" : ", ") +
                 ("<code>" + esc(o.is_string() ? o.get<std::string>() : o.dump()) + "</code>");
    t.push_back({"selected package", "<strong>" + esc(label) + "</strong>"});
    t.push_back({"its options", options.empty() ? "none (the baseline)" : options});
    t.push_back({"cost per year", usd(get(best, "cost_per_year_usd"))});
    t.push_back({esc(objective_words(s)) + ", fresh seed",
                 estimate_text(get(best, "objective"), select_list(best, "ci")) + " (" +
                     esc(str(best, "ci_method", "t")) + ")"});
    if (str(s, "objective") != "fatalities")
      t.push_back({"fatalities per mission-year", num(get(best, "fatalities_per_year"))});
    t.push_back({"95th percentile of deaths in a mission-year",
                 plain(get(best, "fatalities_p95_per_year"))});
    t.push_back({"guarantee", guarantee});
    t.push_back({"within the indifference zone",
                 std::to_string(select_list(s, "within_delta").size()) + " other package(s)"});
  }
  if (s.contains("budget_usd")) t.push_back({"budget", usd(get(s, "budget_usd")) + " a year"});
  if (s.contains("wtp_usd")) t.push_back({"value of a death averted", usd(get(s, "wtp_usd"))});
  t.push_back({"replications per stage",
               plain(get(st, "first_stage")) + " in the first stage (" +
                   plain(get(s, "first_stage")) + " of each of " + std::to_string(k) +
                   " packages), " + plain(get(st, "sequential")) + " sequential (" +
                   plain(get(s, "rounds")) + (get(s, "rounds") == 1 ? " round), " : " rounds), ") +
                   plain(get(st, "reestimate")) + " in the fresh re-estimate; " +
                   plain(get(s, "replications_total")) + " in all"});
  t.push_back(
      {"procedure", esc(str(s, "procedure")) + "; η = " + num(get(s, "eta"), 4) +
                        ", h² = " + num(get(s, "h2"), 4) + "; seed " + esc(str(s, "seed")) +
                        (re.contains("seed") ? ", fresh seed " + esc(str(re, "seed")) : "")});
  h += table({"key numbers", ""}, t, "plain prov");
  if (s.contains("selected")) h += zone_section(s);
  return h;
}

// ---- the frontiers ------------------------------------------------------------

struct CloudPoint {
  std::string label;
  double cost = 0, y = kNaN;
  bool dominated = false, selected = false;
};
struct FrontierPoint {
  std::string label;
  double cost = 0, y = kNaN, lo = kNaN, hi = kNaN;
};

// Every package as a dot (cost per year against y), the frontier as a line
// with 95% whiskers where it has them, the budget dashed.
Svg cost_chart(const std::string& id, const std::string& title, const std::string& ylabel,
               const std::vector<CloudPoint>& cloud, std::vector<FrontierPoint> front,
               double budget, double plot_h, const std::string& front_name) {
  Svg sv;
  sv.id = id;
  sv.title = title;
  const double left = 78, right = 24, top = 40;
  sv.h = top + plot_h + 50;
  double cmax = 0, ylo = HUGE_VAL, yhi = -HUGE_VAL;
  const auto take = [&](double v) {
    if (std::isfinite(v)) ylo = std::min(ylo, v), yhi = std::max(yhi, v);
  };
  for (const auto& p : cloud) {
    if (std::isfinite(p.cost)) cmax = std::max(cmax, p.cost);
    take(p.y);
  }
  for (const auto& f : front) {
    if (std::isfinite(f.cost)) cmax = std::max(cmax, f.cost);
    take(f.y), take(f.lo), take(f.hi);
  }
  if (std::isfinite(budget) && budget > 0) cmax = std::max(cmax, budget);
  if (!(yhi >= ylo)) ylo = 0, yhi = 1;
  // Millions when the numbers are large: tick labels stay short.
  const double xf = cmax >= 1e5 ? 1e-6 : 1;
  const double yf = std::max(std::fabs(ylo), std::fabs(yhi)) >= 1e5 ? 1e-6 : 1;
  const double pad = yhi > ylo ? (yhi - ylo) * 0.04 : std::max(1.0, std::fabs(yhi) * 0.1);
  const std::vector<double> xt = ticks(0, std::max(cmax * xf, 1e-9));
  const std::vector<double> yt = ticks((ylo - pad) * yf, (yhi + pad) * yf);
  const Scale x{xt.front(), xt.back(), left, sv.w - right};
  const Scale y{yt.front(), yt.back(), top + plot_h, top};
  const auto X = [&](double cost) { return x(cost * xf); };
  const auto Y = [&](double v) { return y(v * yf); };
  sv.heading();
  sv.y_axis(y, left, ylabel + (yf != 1 ? " (millions)" : ""), sv.w - right);
  sv.x_axis(x, top + plot_h, std::string("cost per year, ") + (xf != 1 ? "million USD" : "USD"),
            true, top);
  if (std::isfinite(budget) && budget > 0) {
    sv.line(X(budget), top, X(budget), top + plot_h, "stroke=\"#444\" stroke-dasharray=\"5 4\"");
    sv.text(X(budget) - 4, top + 12, "budget", "class=\"note\" text-anchor=\"end\"");
  }
  const auto dot = [&](const CloudPoint& p) {
    if (!std::isfinite(p.y) || !std::isfinite(p.cost)) return;
    const std::string fill = p.selected    ? selected_colour()
                             : p.dominated ? kDominatedGrey
                                           : colour(0);
    sv.body += "<circle class=\"pkg-pt\" data-package=\"" + esc(p.label) + "\" cx=\"" +
               px(X(p.cost)) + "\" cy=\"" + px(Y(p.y)) + "\" r=\"" + (p.selected ? "5.5" : "3.2") +
               "\" fill=\"" + fill + "\"" +
               (p.selected ? " stroke=\"#000\" stroke-width=\"1.2\"" : " fill-opacity=\"0.85\"") +
               "><title>" + esc(p.label + ": " + usd(p.cost) + " a year, " + plain(p.y, 3)) +
               "</title></circle>\n";
  };
  for (const auto& p : cloud)
    if (p.dominated && !p.selected) dot(p);
  std::stable_sort(front.begin(), front.end(),
                   [](const FrontierPoint& a, const FrontierPoint& b) { return a.cost < b.cost; });
  std::string d;
  for (const auto& f : front) {
    if (!std::isfinite(f.y) || !std::isfinite(f.cost)) continue;
    d += (d.empty() ? "M" : " L") + px(X(f.cost)) + " " + px(Y(f.y));
  }
  if (!d.empty())
    sv.body += "<path class=\"frontier\" d=\"" + d + "\" fill=\"none\" stroke=\"" + colour(0) +
               "\" stroke-width=\"1.8\"/>\n";
  for (const auto& f : front) {
    if (!std::isfinite(f.y) || !std::isfinite(f.cost)) continue;
    const double cx = X(f.cost);
    std::string tip = f.label + ": " + usd(f.cost) + " a year, " + plain(f.y, 3);
    if (std::isfinite(f.lo) && std::isfinite(f.hi)) {
      const std::string w = "stroke=\"" + colour(0) + "\" stroke-width=\"1.2\"";
      sv.line(cx, Y(f.lo), cx, Y(f.hi), w);
      sv.line(cx - 4, Y(f.lo), cx + 4, Y(f.lo), w);
      sv.line(cx - 4, Y(f.hi), cx + 4, Y(f.hi), w);
      tip += " " + interval(f.lo, f.hi);
    }
    sv.body += "<rect class=\"front-pt\" x=\"" + px(cx - 3.5) + "\" y=\"" + px(Y(f.y) - 3.5) +
               "\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"" + colour(0) +
               "\" stroke-width=\"1.6\"><title>" + esc(tip) + "</title></rect>\n";
  }
  for (const auto& p : cloud)
    if (!p.dominated && !p.selected) dot(p);
  for (const auto& p : cloud)
    if (p.selected && std::isfinite(p.y) && std::isfinite(p.cost)) {
      dot(p);
      const bool room = X(p.cost) + 10 + text_width(8) <= sv.w - right;
      sv.text(room ? X(p.cost) + 9 : X(p.cost) - 9, Y(p.y) - 8, "selected",
              std::string("class=\"note\" font-weight=\"bold\"") +
                  (room ? "" : " text-anchor=\"end\""));
    }
  const double ly = top + plot_h + 54;
  sv.legend(left, ly,
            {{"package (mean over its selection replications)", colour(0)},
             {"dominated: another costs no more and does better", kDominatedGrey},
             {"selected", selected_colour()}});
  sv.legend(left, sv.h + 4, {{front_name, colour(0)}}, true);
  return sv;
}

std::string frontier_figure(const json& s) {
  const bool has_front = !select_list(s, "frontier").empty();
  const std::string selected = str(s, "selected");
  std::vector<CloudPoint> cloud;
  for (const auto& p : select_list(s, "packages"))
    cloud.push_back({str(p, "package"), get(p, "cost_per_year_usd"), get(p, "objective"),
                     has_front && !select_flag(p, "frontier"),
                     str(p, "status") == "selected" && str(p, "package") == selected});
  std::vector<FrontierPoint> front;
  std::vector<std::vector<std::string>> t;
  for (const auto& f : select_list(s, "frontier")) {
    const json& ci = select_list(f, "ci");
    front.push_back(
        {str(f, "package"), get(f, "cost_usd"), get(f, "objective"), at(ci, 0), at(ci, 1)});
    const json* p = package_named(s, str(f, "package"));
    t.push_back({esc(str(f, "package")) + (str(f, "package") == selected ? " (selected)" : ""),
                 usd(get(f, "cost_usd")), estimate_text(get(f, "objective"), ci),
                 plain(get(f, "replications")),
                 p ? estimate_value(get(*p, "objective"), select_list(*p, "ci")) : "–"});
  }
  const std::string words = objective_words(s);
  const Svg sv = cost_chart("frontier", "What each budget buys: cost against " + words, words,
                            cloud, front, get(s, "budget_usd"), 300,
                            "frontier, re-estimated on fresh random numbers (95% CI)");
  const std::string step = larger_is_better_of(s)
                               ? "each step up in cost buys a larger net benefit"
                               : "each step up in cost saves lives, and the steeper the drop, "
                                 "the cheaper each life saved";
  return figure(
      sv,
      "Each dot is one package: its cost per year against its " + esc(words) +
          " over the replications it received while the procedure ran (the packages dropped "
          "early rest on few of them). Grey: dominated, another package costs no more and "
          "does better. The line joins the packages on the cost frontier, each re-estimated on "
          "fresh random numbers with its 95% confidence interval (squares and whiskers): along "
          "it, " +
          step +
          ". Vermillion: the selected package; "
          "dashed: the budget.",
      has_front ? table({"package on the frontier", "cost / year", esc(words) + " [95% CI], fresh",
                         "replications", "selection phase"},
                        t)
                : "<p>No frontier: it is drawn once the run is complete.</p>\n");
}

std::string p95_figure(const json& s) {
  const bool has_front = !select_list(s, "p95_frontier").empty();
  const std::string selected = str(s, "selected");
  std::vector<CloudPoint> cloud;
  for (const auto& p : select_list(s, "packages"))
    cloud.push_back({str(p, "package"), get(p, "cost_per_year_usd"),
                     get(p, "fatalities_p95_per_year"),
                     has_front && !select_flag(p, "p95_frontier"),
                     str(p, "status") == "selected" && str(p, "package") == selected});
  std::vector<FrontierPoint> front;
  std::vector<std::vector<std::string>> t;
  for (const auto& f : select_list(s, "p95_frontier")) {
    front.push_back({str(f, "package"), get(f, "cost_usd"), get(f, "fatalities_p95_per_year")});
    const json* p = package_named(s, str(f, "package"));
    t.push_back({esc(str(f, "package")) + (str(f, "package") == selected ? " (selected)" : ""),
                 usd(get(f, "cost_usd")), plain(get(f, "fatalities_p95_per_year")),
                 plain(get(f, "replications")),
                 p ? plain(get(*p, "fatalities_p95_per_year")) : "–"});
  }
  const Svg sv =
      cost_chart("p95-frontier", "A bad year: cost against the 95th percentile of deaths",
                 "deaths in a bad year (P95)", cloud, front, get(s, "budget_usd"), 190,
                 "frontier of the 95th percentile, re-estimated on fresh random numbers");
  return figure(
      sv,
      "The same packages against the 95th percentile of deaths in a mission-year: a bad "
      "year, one in twenty is worse. The line joins the packages that buy the most protection "
      "against a bad year for their cost, re-estimated on fresh random numbers. A package "
      "can be on this frontier and not on the other (it trims the bad years more than the "
      "average).",
      has_front ? table({"package on the frontier", "cost / year", "P95 deaths a year, fresh",
                         "replications", "selection phase"},
                        t)
                : "<p>No frontier: it is drawn once the run is complete.</p>\n");
}

// ---- the elimination timeline -------------------------------------------------

std::string timeline_figure(const json& s) {
  struct Row {
    std::string label, status;
    double reps;
  };
  std::vector<Row> rows;
  for (const json* p : best_first(s))
    rows.push_back({str(*p, "package"), str(*p, "status"), get(*p, "replications", 0)});
  // Longest first; among equals, best first (the order of best_first).
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.reps > b.reps; });
  const size_t n = rows.size();
  const bool many = n > 40;
  const double pitch = many ? 12 : 20, bar = many ? 7 : 12, font = many ? 10 : 11.5;
  const size_t kMaxChars = 54;
  size_t longest = 4;
  for (const auto& r : rows) longest = std::max(longest, std::min(r.label.size(), kMaxChars));
  Svg sv;
  sv.id = "elimination";
  sv.title = "How long each package stayed in contention";
  const double left = 16 + text_width(longest) * font / 11.5, right = 44, top = 58;
  sv.w = std::max(sv.w, left + right + 320);
  const double bottom = top + pitch * static_cast<double>(n);
  sv.h = bottom + 50;
  const double first_stage = get(s, "first_stage", 0);
  double rmax = std::max(1.0, first_stage);
  for (const auto& r : rows) rmax = std::max(rmax, r.reps);
  const std::vector<double> xt = ticks(0, rmax, 5, true);
  const Scale x{0, xt.back(), left, sv.w - right, true};
  sv.heading();
  sv.x_axis(x, bottom + 4, "replications received before it was eliminated", true, top - 6);
  if (first_stage > 0) {
    sv.line(x(first_stage), top - 6, x(first_stage), bottom + 4,
            "stroke=\"#444\" stroke-dasharray=\"4 3\"");
    const std::string note =
        "first stage: " + plain(first_stage) + " replications of every package";
    const bool room = x(first_stage) + 4 + text_width(note.size()) <= sv.w - 4;
    sv.text(room ? x(first_stage) + 4 : x(first_stage) - 4, top - 12, note,
            room ? "class=\"note\"" : "class=\"note\" text-anchor=\"end\"");
  }
  const std::string size = "font-size=\"" + px(font) + "\"";
  bool contending = false;
  for (size_t i = 0; i < n; ++i) {
    const Row& r = rows[i];
    const bool sel = r.status == "selected";
    contending |= r.status == "contending";
    const std::string fill = sel                        ? selected_colour()
                             : r.status == "contending" ? colour(1)
                                                        : colour(0);
    const double yc = top + pitch * (static_cast<double>(i) + 0.5);
    sv.body += "<g class=\"elim-row\" data-status=\"" + esc(r.status) + "\"><title>" +
               esc(r.label + ": " + plain(r.reps) + " replications, " + r.status) + "</title>\n";
    sv.text(left - 6, yc + font * 0.35, shortened(r.label, kMaxChars),
            size + " text-anchor=\"end\"" + (sel ? " font-weight=\"bold\"" : ""));
    sv.rect(x(0), yc - bar / 2, x(r.reps) - x(0), bar,
            "fill=\"" + fill + "\"" + (sel ? "" : " fill-opacity=\"0.75\""));
    sv.text(x(r.reps) + 3, yc + font * 0.35, plain(r.reps), size);
    sv.body += "</g>\n";
  }
  std::vector<std::pair<std::string, std::string>> legend = {{"eliminated", colour(0)},
                                                             {"selected", selected_colour()}};
  if (contending) legend.emplace_back("still contending (interrupted)", colour(1));
  sv.legend(left, bottom + 56, legend);

  // The numbers: how many packages left at each count of replications.
  std::map<double, std::vector<const Row*>> at_count;
  for (const auto& r : rows) at_count[r.reps].push_back(&r);
  std::vector<std::vector<std::string>> t;
  for (auto it = at_count.rbegin(); it != at_count.rend(); ++it) {
    const auto& group = it->second;
    std::map<std::string, size_t> by_status;
    for (const Row* r : group) ++by_status[r->status];
    std::string status, names;
    for (const auto& [k, c] : by_status)
      status += (status.empty() ? "" : ", ") + std::to_string(c) + " " + esc(k);
    const size_t kNamed = 4;
    for (size_t i = 0; i < group.size() && i < kNamed; ++i)
      names += (names.empty() ? "" : "; ") + esc(group[i]->label);
    if (group.size() > kNamed) names += "; and " + std::to_string(group.size() - kNamed) + " more";
    t.push_back({plain(it->first), std::to_string(group.size()), status, names});
  }
  return figure(
      sv,
      "Each bar is one package: the replications it received before the procedure (KN) "
      "dropped it as unable to be the best. Short bars were clearly worse than another "
      "package; long bars were close contenders, and the longest is the selected one. "
      "Every package ran the first stage (dashed) before any was dropped; packages with the "
      "same count are ordered best first. A long name is shortened: hover it for the whole.",
      table({"replications received", "packages", "status", "which (best first)"}, t, "plain"));
}

// ---- the interaction heat map ---------------------------------------------------

std::string interaction_figure(const json& s) {
  const json& inter = select_list(s, "interactions");
  std::vector<std::string> opts;
  std::map<std::pair<std::string, std::string>, const json*> cells;
  const auto option_at = [](const json& e, size_t i) {
    const json& o = select_list(e, "options");
    return i < o.size() && o[i].is_string() ? o[i].get<std::string>() : std::string();
  };
  for (const auto& e : inter) {
    if (select_list(e, "options").size() != 2) continue;
    const std::string a = option_at(e, 0), b = option_at(e, 1);
    for (const auto& o : {a, b})
      if (std::find(opts.begin(), opts.end(), o) == opts.end()) opts.push_back(o);
    cells[{a, b}] = &e;
  }
  if (opts.size() < 2)
    return "<p>No pairwise interactions to show: they are measured for the packages of "
           "exactly two options whose singles are compared too, once the run is complete.</p>\n";
  const auto find_cell = [&](const std::string& a, const std::string& b) -> const json* {
    if (auto it = cells.find({a, b}); it != cells.end()) return it->second;
    if (auto it = cells.find({b, a}); it != cells.end()) return it->second;
    return nullptr;
  };
  double vmax = 0;
  for (const auto& [k, e] : cells)
    if (std::isfinite(get(*e, "interaction")))
      vmax = std::max(vmax, std::fabs(get(*e, "interaction")));
  if (!(vmax > 0)) vmax = 1;

  // Lower triangle: row r (option r + 1) against column c (option c), c <= r.
  const size_t m = opts.size() - 1;
  Svg sv;
  sv.id = "interactions";
  sv.title = "How pairs of options interact, in lives saved a mission-year";
  const std::vector<std::string> row_labels(opts.begin() + 1, opts.end());
  size_t longest_col = 4;
  for (size_t c = 0; c < m; ++c) longest_col = std::max(longest_col, opts[c].size());
  const double diag = 0.72 * text_width(longest_col);  // a label at 45°, either way
  const double cell_h = 30;
  double left = label_margin(row_labels, 240, sv);
  const double cell_w = std::clamp((sv.w - left - 30) / static_cast<double>(m), 46.0, 84.0);
  left = std::max(left, diag - cell_w / 2 + 10);
  sv.w = std::max(sv.w, left + cell_w * static_cast<double>(m) + 30);
  const double top = 44, bottom = top + cell_h * static_cast<double>(m);
  std::vector<std::vector<std::string>> t;
  for (size_t r = 0; r < m; ++r) {
    const double y0 = top + cell_h * static_cast<double>(r);
    sv.text(left - 8, y0 + cell_h / 2 + 4, opts[r + 1], "class=\"tick\" text-anchor=\"end\"");
    for (size_t c = 0; c <= r; ++c) {
      const double x0 = left + cell_w * static_cast<double>(c);
      const json* e = find_cell(opts[c], opts[r + 1]);
      const std::string pair =
          e ? option_at(*e, 0) + " + " + option_at(*e, 1) : opts[c] + " + " + opts[r + 1];
      const double v = e ? get(*e, "interaction") : kNaN;
      sv.body += "<g class=\"cell\" data-pair=\"" + esc(pair) + "\"><title>";
      if (!e || !std::isfinite(v)) {
        sv.body += esc(pair +
                       ": not measured (the pair, or one of the two alone, is not among "
                       "the packages compared)") +
                   "</title>\n";
        sv.rect(x0 + 1, y0 + 1, cell_w - 2, cell_h - 2, "fill=\"#F4F4F4\"");
        sv.text(x0 + cell_w / 2, y0 + cell_h / 2 + 4, "–", "class=\"tick\" text-anchor=\"middle\"");
        sv.body += "</g>\n";
        continue;
      }
      const json& ci = select_list(*e, "ci");
      const double lo = at(ci, 0), hi = at(ci, 1);
      const bool clear = (std::isfinite(lo) && lo > 0) || (std::isfinite(hi) && hi < 0);
      const double share = std::fabs(v) / vmax;
      const std::string fill =
          v < 0 ? tint(share, 0xD5, 0x5E, 0x00) : tint(share, 0x00, 0x72, 0xB2);
      sv.body += esc(pair + ": together " + num(get(*e, "together")) + ", each alone summed " +
                     num(get(*e, "sum_alone")) + "; interaction " + estimate_text(v, ci) +
                     " lives saved a mission-year (95% CI, " + str(*e, "ci_method", "t") + ", " +
                     plain(get(*e, "replications")) + " replications)") +
                 "</title>\n";
      sv.rect(x0 + 1, y0 + 1, cell_w - 2, cell_h - 2, "fill=\"" + fill + "\" stroke=\"#DDD\"");
      sv.text(x0 + cell_w / 2, y0 + cell_h / 2 + 4, estimate_value(v, ci),
              std::string("class=\"tick\" text-anchor=\"middle\"") +
                  (clear ? " font-weight=\"bold\"" : "") +
                  (share > 0.6 ? " style=\"fill:#fff\"" : ""));
      sv.body += "</g>\n";
    }
  }
  for (size_t c = 0; c < m; ++c) {
    const double cx = left + cell_w * (static_cast<double>(c) + 0.5) + 4, cy = bottom + 12;
    sv.text(cx, cy, opts[c],
            "class=\"tick\" text-anchor=\"end\" transform=\"rotate(-45 " + px(cx) + " " + px(cy) +
                ")\"");
  }
  // Legend: five swatches from the most negative to the most positive, then
  // what the sign means.
  double ly = bottom + diag + 30;
  const double lx = 20;
  sv.text(lx, ly, "interaction, lives saved a mission-year:", "class=\"tick\"");
  double sx = lx + text_width(41) + 8;
  for (int i = -2; i <= 2; ++i) {
    const double v = vmax * i / 2;
    const double share = std::fabs(v) / vmax;
    sv.rect(sx, ly - 11, 44, 14,
            "fill=\"" + (v < 0 ? tint(share, 0xD5, 0x5E, 0x00) : tint(share, 0x00, 0x72, 0xB2)) +
                "\" stroke=\"#ccc\"");
    sv.text(sx + 22, ly + 16, num(v, 2), "class=\"tick\" text-anchor=\"middle\"");
    sx += 50;
  }
  ly += 38;
  sv.text(lx, ly,
          "below 0, overlap: the two act on the same deaths, together they save fewer than "
          "each alone summed",
          "class=\"note\"");
  sv.text(lx, ly + 16,
          "above 0, synergy: together they save more than each alone summed; bold: the 95% "
          "interval excludes 0",
          "class=\"note\"");
  sv.h = ly + 28;
  sv.w = std::max(sv.w, lx + text_width(100));
  sv.heading();
  for (const auto& e : inter) {
    if (select_list(e, "options").size() != 2) continue;
    const json& ci = select_list(e, "ci");
    t.push_back({esc(option_at(e, 0) + " + " + option_at(e, 1)), num(get(e, "together")),
                 num(get(e, "sum_alone")), estimate_text(get(e, "interaction"), ci),
                 esc(str(e, "ci_method", "t")), plain(get(e, "replications"))});
  }
  return figure(
      sv,
      "For each pair of options: the lives the two save together in a mission-year, against "
      "the baseline, less the lives each saves alone, summed (on the same fresh random "
      "numbers). Negative (vermillion): they overlap, acting on the same deaths, so buying "
      "both is worth less than the two prices suggest. Positive (blue): synergy. White: they "
      "add up. Hover a cell for its 95% interval.",
      table({"pair", "saved together", "each alone, summed", "interaction [95% CI]", "CI method",
             "replications"},
            t));
}

// ---- every package ----------------------------------------------------------------

std::string packages_section(const json& s) {
  const std::string words = esc(objective_words(s));
  // Deaths a year beside the objective only when the objective is another.
  const bool deaths_too = str(s, "objective") != "fatalities";
  std::vector<std::vector<std::string>> t;
  for (const json* q : best_first(s)) {
    const json& p = *q;
    const std::string status = str(p, "status");
    const json& fresh = select_object(p, "fresh");
    std::string fronts;
    if (select_flag(p, "frontier")) fronts = "cost";
    if (select_flag(p, "p95_frontier")) fronts += fronts.empty() ? "P95" : ", P95";
    std::vector<std::string> r = {
        // A long label keeps a readable column: the numbers beside it do not wrap.
        "<span style=\"display:inline-block;min-width:12em\">" + esc(str(p, "package")) + "</span>",
        usd(get(p, "cost_per_year_usd")), plain(get(p, "replications")),
        (status == "selected" ? "<strong>selected</strong>" : esc(status)) +
            (select_flag(p, "within_delta") ? ", in the zone" : ""),
        estimate_text(get(p, "objective"), select_list(p, "ci"))};
    if (deaths_too) r.push_back(num(get(p, "fatalities_per_year")));
    r.push_back(plain(get(p, "fatalities_p95_per_year")));
    r.push_back(fronts);
    r.push_back(fresh.empty() ? "–"
                              : estimate_text(get(fresh, "objective"), select_list(fresh, "ci")));
    t.push_back(r);
  }
  std::vector<std::string> head = {"package", "cost / year", "replications", "status",
                                   words + " [95% CI]"};
  if (deaths_too) head.push_back("deaths / year");
  for (const char* c : {"P95 deaths / year", "on the frontier of", "fresh [95% CI]"})
    head.push_back(c);
  std::string h = "<h2>Every package</h2>\n<p>" + std::to_string(t.size()) +
                  " packages compared, best first by " + words +
                  " over the replications each received (selection phase: those dropped early "
                  "rest on few replications, and the best-looking of many is flattered by luck). "
                  "<em>On the frontier of</em>: cost against " +
                  words +
                  ", or against the 95th percentile of deaths (P95). The last column, where "
                  "there is one, is the re-estimate on fresh random numbers.</p>\n";
  h += "<div class=\"numbers\">\n" + table(head, t) + "</div>\n";
  const json& left = select_list(s, "left_out");
  if (left.empty()) return h + "<p>No package was left out by the budget or a rule.</p>\n";
  std::vector<std::vector<std::string>> l;
  for (const auto& p : left) l.push_back({esc(str(p, "package")), esc(str(p, "reason"))});
  return h + "<details>\n<summary>" + std::to_string(left.size()) +
         (left.size() == 1 ? " package" : " packages") +
         " left out by the budget or a rule, with the reason</summary>\n" +
         table({"package", "why it was left out"}, l, "plain") + "</details>\n";
}

}  // namespace

std::string select_html(const json& result, const std::string& scenario_name) {
  const json& s = select_object(result, "select");
  const size_t k = select_list(s, "packages").size();
  std::string body = "<h1>Best package of mitigations: " + esc(scenario_name) + "</h1>\n";
  body +=
      "<p class=\"sub\">pkrisk select — " + std::to_string(k) + " packages compared" +
      (select_list(s, "left_out").empty()
           ? ""
           : " (" + std::to_string(select_list(s, "left_out").size()) +
                 " more left out by the budget or a rule)") +
      "; objective " + esc(objective_words(s)) + "; indifference zone " +
      setting_text(get(s, "indifference_zone")) + ", confidence " +
      setting_text(get(s, "confidence")) +
      (!s.contains("complete") || select_flag(s, "complete") ? ""
                                                             : "; <strong>INTERRUPTED</strong>") +
      ".</p>\n";
  body += headline_section(s);
  body += "<h2>Cost and deaths: the frontiers</h2>\n" + frontier_figure(s) + p95_figure(s);
  body += "<h2>How the packages were eliminated</h2>\n" + timeline_figure(s);
  body += "<h2>How pairs of options interact</h2>\n" + interaction_figure(s);
  body += packages_section(s);
  return page("pkrisk select: " + scenario_name, body);
}

}  // namespace pk
