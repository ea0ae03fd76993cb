// What `pkrisk select` reports (docs/select.md): the selected package with its
// fresh-seed estimate and guarantee, the packages within the indifference
// zone, the cost frontiers, the pairwise interactions and every package.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "experiment/select.hpp"
#include "stats/frontier.hpp"
#include "stats/rounding.hpp"
#include "stats/summary.hpp"
#include "util/csv.hpp"

namespace pk {

using nlohmann::json;

namespace {

json num(double v) {
  return std::isfinite(v) ? json(round_significant(v, 6)) : json(nullptr);
}

// A mean of some replications in the objective's units, with its 95%
// interval (chosen by the data: docs/model.md §6).
struct Estimate {
  int64_t n = 0;
  double mean = 0;
  Interval ci;
  std::string method;
  double fatalities = 0;      // per mission-year
  double fatalities_p95 = 0;  // per mission-year
};

// The objective is a + b x deaths for each package: its interval is that of
// the deaths, mapped (ends swapped when b < 0).
Estimate estimate(const SelectPlan& plan, size_t package, const PackageSample& s, int64_t n) {
  IntHistogram h;
  for (int64_t j = 0; j < n; ++j) h.add(s.fatalities[static_cast<size_t>(j)]);
  const MetricSummary m = summarize(h);
  const auto f = [&](double deaths) {
    return objective_value(plan, package, deaths, s.personnel_years);
  };
  Estimate e;
  e.n = n;
  e.mean = f(m.mean);
  const double lo = f(m.ci95.lo), hi = f(m.ci95.hi);
  e.ci = {std::min(lo, hi), std::max(lo, hi)};
  e.method = ci_method_name(m.ci_method);
  e.fatalities = m.mean / plan.years;
  e.fatalities_p95 = m.p95 / plan.years;
  return e;
}

json estimate_json(const Estimate& e) {
  return {{"replications", e.n},
          {"objective", num(e.mean)},
          {"ci", {num(e.ci.lo), num(e.ci.hi)}},
          {"ci_method", e.method},
          {"fatalities_per_year", num(e.fatalities)},
          {"fatalities_p95_per_year", num(e.fatalities_p95)}};
}

// The selected package ps's advantage over px on the fresh streams
// (common random numbers): the mean and interval of their paired difference,
// in the objective's units, positive when the selected one is better. With
// one slope (deaths per mission-year, net benefit, or per 1,000
// personnel-years at equal strength) the difference is an integer count
// mapped, and its interval is chosen by the data; otherwise Student t.
json fresh_difference(const SelectPlan& plan, size_t ps, const PackageSample& s, size_t px,
                      const PackageSample& x) {
  const auto value = [&](size_t p, const PackageSample& q, double deaths) {
    return objective_value(plan, p, deaths, q.personnel_years);
  };
  const double better = larger_is_better(plan.spec) ? 1.0 : -1.0;
  const double slope_s = value(ps, s, 1) - value(ps, s, 0);
  const double slope_x = value(px, x, 1) - value(px, x, 0);
  const double offset = better * (value(ps, s, 0) - value(px, x, 0));
  if (slope_s == slope_x) {
    IntHistogram h;  // deaths of the selected less deaths of the other
    for (size_t j = 0; j < s.fatalities.size(); ++j) h.add(s.fatalities[j] - x.fatalities[j]);
    const MetricSummary m = summarize(h, ValueKind::kDifference);
    const auto g = [&](double d) { return offset + better * slope_s * d; };
    const double lo = g(m.ci95.lo), hi = g(m.ci95.hi);
    return {{"mean", num(g(m.mean))},
            {"ci", {num(std::min(lo, hi)), num(std::max(lo, hi))}},
            {"ci_method", ci_method_name(m.ci_method)}};
  }
  const std::vector<double> d = advantage(plan, ps, s, px, x, 0, s.fatalities.size());
  const double mean = mean_of(d);
  const double half =
      t_half_width(std::sqrt(variance_of(d)), static_cast<int64_t>(s.fatalities.size()));
  return {{"mean", num(mean)},
          {"ci", {num(mean - half), num(mean + half)}},
          {"ci_method", ci_method_name(CiMethod::kT)}};
}

// Each pair of options held together against the sum of each alone: lives
// saved a mission-year by the pair, by the two singles, and the difference
// (positive: synergy; negative: overlap, the two act on the same deaths),
// over the replications the four packages share.
json interactions(const SelectPlan& plan, const SelectOutcome& o) {
  json out = json::array();
  for (const PairPackages& q : interaction_pairs(plan)) {
    const PackageSample *s0 = o.fresh_of(0), *sa = o.fresh_of(q.a), *sb = o.fresh_of(q.b),
                        *sab = o.fresh_of(q.pair);
    if (!s0 || !sa || !sb || !sab) continue;
    IntHistogram h, together, alone;
    for (size_t j = 0; j < s0->fatalities.size(); ++j) {
      const int64_t f0 = s0->fatalities[j], fa = sa->fatalities[j], fb = sb->fatalities[j],
                    fab = sab->fatalities[j];
      h.add((f0 - fab) - (f0 - fa) - (f0 - fb));
      together.add(f0 - fab);
      alone.add(2 * f0 - fa - fb);
    }
    const MetricSummary m = summarize(h, ValueKind::kDifference);
    const double y = plan.years;
    out.push_back({{"options", plan.packages[q.pair].options},
                   {"replications", h.count()},
                   {"together", num(summarize(together, ValueKind::kDifference).mean / y)},
                   {"sum_alone", num(summarize(alone, ValueKind::kDifference).mean / y)},
                   {"interaction", num(m.mean / y)},
                   {"ci", {num(m.ci95.lo / y), num(m.ci95.hi / y)}},
                   {"ci_method", ci_method_name(m.ci_method)}});
  }
  return out;
}

// The frontiers drawn in two steps: the first stage's frontiers give the
// candidates, which run again on fresh streams; the frontiers of their fresh
// estimates are printed (a candidate that the fresh run shows dominated is
// dropped, so the printed frontier never rises in deaths with cost).
SelectFrontiers frontiers(const SelectPlan& plan, const SelectOutcome& o) {
  const SelectFrontiers first = select_frontiers(plan, o);
  const double better = larger_is_better(plan.spec) ? 1.0 : -1.0;
  const auto refine = [&](const std::vector<size_t>& candidates, bool tail) {
    std::vector<double> cost, benefit;
    for (size_t p : candidates) {
      const PackageSample& f = *o.fresh_of(p);
      const Estimate e = estimate(plan, p, f, static_cast<int64_t>(f.fatalities.size()));
      cost.push_back(plan.packages[p].cost_per_year_usd);
      benefit.push_back(tail ? -e.fatalities_p95 : better * e.mean);
    }
    std::vector<size_t> out;
    for (size_t i : pareto_front(cost, benefit)) out.push_back(candidates[i]);
    return out;
  };
  return {refine(first.objective, false), refine(first.p95, true)};
}

std::string units_of(SelectObjective o) {
  switch (o) {
    case SelectObjective::kFatalities:
      return "fatalities per mission-year";
    case SelectObjective::kFatalitiesPer1000py:
      return "fatalities per 1,000 personnel-years";
    case SelectObjective::kNetBenefit:
      return "USD per mission-year";
  }
  return "";
}

}  // namespace

json select_json(const SelectPlan& plan, const SelectOutcome& o) {
  const SelectSpec& spec = plan.spec;
  if (!o.complete) return {{"select", {{"complete", false}}}};  // nothing to say yet
  const size_t k = plan.packages.size();
  const SelectFrontiers fr = o.complete ? frontiers(plan, o) : SelectFrontiers{};
  const std::vector<size_t> zone = o.complete ? within_zone(plan, o) : std::vector<size_t>{};
  const auto on = [](const std::vector<size_t>& v, size_t p) {
    return std::find(v.begin(), v.end(), p) != v.end();
  };
  // A package's numbers: from the fresh run when it had one, else from its
  // selection replications.
  const auto best_estimate = [&](size_t p) {
    const PackageSample* f = o.fresh_of(p);
    return f ? estimate(plan, p, *f, static_cast<int64_t>(f->fatalities.size()))
             : estimate(plan, p, o.samples[p], o.replications[p]);
  };
  const auto described = [&](size_t p, json j) {
    j["package"] = plan.packages[p].label;
    j["options"] = plan.packages[p].options;
    j["cost_per_year_usd"] = num(plan.packages[p].cost_per_year_usd);
    return j;
  };

  json packages = json::array();
  int64_t total = 0, first = 0;
  for (size_t p = 0; p < k; ++p) {
    total += o.replications[p];
    first += std::min(o.replications[p], spec.first_stage);
    json j = described(p, estimate_json(estimate(plan, p, o.samples[p], o.replications[p])));
    j["status"] = p == o.selected && o.complete ? "selected"
                  : o.contending[p]             ? "contending"
                                                : "eliminated";
    j["frontier"] = on(fr.objective, p);
    j["p95_frontier"] = on(fr.p95, p);
    j["within_delta"] = on(zone, p);
    if (const PackageSample* f = o.fresh_of(p))
      j["fresh"] = estimate_json(estimate(plan, p, *f, static_cast<int64_t>(f->fatalities.size())));
    packages.push_back(j);
  }
  json frontier = json::array(), frontier95 = json::array();
  for (size_t p : fr.objective) {
    const Estimate e = best_estimate(p);
    frontier.push_back({{"portfolio", plan.packages[p].options},
                        {"package", plan.packages[p].label},
                        {"cost_usd", num(plan.packages[p].cost_per_year_usd)},
                        {"objective", num(e.mean)},
                        {"ci", {num(e.ci.lo), num(e.ci.hi)}},
                        {"replications", e.n}});
  }
  for (size_t p : fr.p95) {
    const Estimate e = best_estimate(p);
    frontier95.push_back({{"portfolio", plan.packages[p].options},
                          {"package", plan.packages[p].label},
                          {"cost_usd", num(plan.packages[p].cost_per_year_usd)},
                          {"fatalities_p95_per_year", num(e.fatalities_p95)},
                          {"replications", e.n}});
  }
  json left = json::array();
  for (const auto& l : plan.left_out) left.push_back({{"package", l.label}, {"reason", l.reason}});

  int64_t fresh_total = 0;
  for (const PackageSample& f : o.fresh) fresh_total += static_cast<int64_t>(f.fatalities.size());
  json near = json::array(), within = json::array();
  if (o.complete) {
    const PackageSample* s = o.fresh_of(o.selected);
    near.push_back(described(o.selected, estimate_json(best_estimate(o.selected))));
    for (size_t p : zone) {
      within.push_back(plan.packages[p].options);
      const PackageSample* x = o.fresh_of(p);
      if (!x) continue;
      json j = described(p, estimate_json(best_estimate(p)));
      j["selected_better_by"] = fresh_difference(plan, o.selected, *s, p, *x);
      near.push_back(j);
    }
  }

  json out = {
      {"objective", objective_name(spec.objective)},
      {"units", units_of(spec.objective)},
      {"indifference_zone", spec.indifference_zone},
      {"confidence", spec.confidence},
      {"first_stage", spec.first_stage},
      {"procedure", "KN (Kim & Nelson 2001), common random numbers"},
      {"eta", num(o.eta)},
      {"h2", num(o.h2)},
      {"complete", o.complete},
      {"seed", plan.settings.seed},
      {"rounds", o.rounds},
      {"replications_total", total + fresh_total},
      {"replications_by_stage",
       {{"first_stage", first}, {"sequential", total - first}, {"reestimate", fresh_total}}},
      {"packages", packages},
      {"left_out", left},
      {"frontier", frontier},
      {"p95_frontier", frontier95},
      {"interactions", o.complete ? interactions(plan, o) : json::array()}};
  if (o.screened)
    out["screening"] = {{"procedure", "screen to the best (Nelson et al. 2001)"},
                        {"packages", k},
                        {"kept", o.survivors},
                        {"alpha", num((1 - spec.confidence) / 2)}};
  if (spec.budget_usd) out["budget_usd"] = *spec.budget_usd;
  if (spec.objective == SelectObjective::kNetBenefit) out["wtp_usd"] = spec.wtp_usd;
  if (o.complete) {
    out["best"] = plan.packages[o.selected].options;
    out["selected"] = plan.packages[o.selected].label;
    out["within_delta"] = within;
    out["reestimate"] = {{"seed", std::to_string(o.fresh_seed)},
                         {"replications", spec.reestimate},
                         {"packages", near}};
  }
  return {{"select", out}};
}

json select_plan_json(const SelectPlan& plan) {
  json packages = json::array(), left = json::array();
  for (const Package& p : plan.packages)
    packages.push_back({{"package", p.label},
                        {"options", p.options},
                        {"cost_per_year_usd", num(p.cost_per_year_usd)}});
  for (const auto& l : plan.left_out) left.push_back({{"package", l.label}, {"reason", l.reason}});
  json out = {{"packages", packages},
              {"left_out", left},
              {"screening", plan.packages.size() > kMaxPackages},
              {"first_stage_replications",
               static_cast<int64_t>(plan.packages.size()) * plan.spec.first_stage}};
  if (plan.spec.budget_usd) out["budget_usd"] = *plan.spec.budget_usd;
  return {{"select_plan", out}};
}

namespace {

std::string fmt(const char* format, auto... args) {
  char line[1024];
  std::snprintf(line, sizeof line, format, args...);
  return line;
}

double get(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : NAN;
}

std::string usd(double v) {
  return fixed(v, 0, true);
}

// A mean with its interval, both rounded to the interval's precision.
std::string with_ci(const json& mean, const json& ci) {
  const auto end = [](const json& v) { return v.is_number() ? v.get<double>() : kInf; };
  if (!mean.is_number() || !ci.is_array() || ci.size() != 2) return "n/a";
  return round_estimate(mean.get<double>(), end(ci[0]), end(ci[1]), true).with_interval();
}

}  // namespace

std::string select_table(const json& result) {
  const json& s = result["select"];
  if (!s.value("complete", false)) return "interrupted: nothing selected\n";
  const bool deaths = s["objective"] != "net_benefit";
  std::string out =
      fmt("objective %s (%s), indifference zone %g, confidence %g\n",
          s["objective"].get<std::string>().c_str(), s["units"].get<std::string>().c_str(),
          s["indifference_zone"].get<double>(), s["confidence"].get<double>());
  const json& st = s["replications_by_stage"];
  out +=
      fmt("%zu packages compared, %zu left out by the budget or a rule; %lld replications: "
          "%lld in the first stage, %lld sequential, %lld in the fresh re-estimate\n",
          s["packages"].size(), s["left_out"].size(),
          static_cast<long long>(s["replications_total"].get<int64_t>()),
          static_cast<long long>(st["first_stage"].get<int64_t>()),
          static_cast<long long>(st["sequential"].get<int64_t>()),
          static_cast<long long>(st["reestimate"].get<int64_t>()));
  if (s.contains("screening"))
    out +=
        fmt("screening first: %lld of %zu packages kept for the sequential stage (each stage "
            "at half the error allowed)\n",
            static_cast<long long>(s["screening"]["kept"].get<int64_t>()), s["packages"].size());
  if (!s.contains("selected")) return out + "\ninterrupted: nothing selected\n";

  const json& fresh = s["reestimate"]["packages"];
  const json& best = fresh[0];
  out += "\nselected: " + s["selected"].get<std::string>() + "\n";
  out += fmt("  cost %s USD a year; %s %s (95%% CI; fresh seed, %lld replications)\n",
             usd(get(best, "cost_per_year_usd")).c_str(), s["objective"].get<std::string>().c_str(),
             with_ci(best["objective"], best["ci"]).c_str(),
             static_cast<long long>(best["replications"].get<int64_t>()));
  out += fmt("  with probability at least %g this is the best package, or within %g %s of it\n",
             s["confidence"].get<double>(), s["indifference_zone"].get<double>(),
             s["units"].get<std::string>().c_str());
  if (fresh.size() > 1) {
    out +=
        fmt("\nwithin the indifference zone of it: %zu (fresh seed; the selected one better by)\n",
            s["within_delta"].size());
    out += fmt("  %12s  %-24s     %-24s  %s\n", "USD a year",
               s["objective"].get<std::string>().c_str(), "", "package");
    for (size_t i = 1; i < fresh.size(); ++i) {
      const json& f = fresh[i];
      out += fmt("  %12s  %-24s  by %-24s  %s\n", usd(get(f, "cost_per_year_usd")).c_str(),
                 with_ci(f["objective"], f["ci"]).c_str(),
                 with_ci(f["selected_better_by"]["mean"], f["selected_better_by"]["ci"]).c_str(),
                 f["package"].get<std::string>().c_str());
    }
    if (s["within_delta"].size() + 1 > fresh.size())
      out += fmt("  (%zu more, not re-estimated: --format json lists them)\n",
                 s["within_delta"].size() + 1 - fresh.size());
  }
  out +=
      "\nfrontier (cost per year against " + s["objective"].get<std::string>() + "; fresh seeds)\n";
  out += fmt("  %12s  %-24s  %s\n", "USD a year", s["objective"].get<std::string>().c_str(),
             "package");
  for (const json& f : s["frontier"])
    out += fmt("  %12s  %-24s  %s\n", usd(get(f, "cost_usd")).c_str(),
               with_ci(f["objective"], f["ci"]).c_str(), f["package"].get<std::string>().c_str());
  out +=
      "\nfrontier of a bad year (cost per year against the 95th percentile of deaths a "
      "mission-year; fresh seeds)\n";
  out += fmt("  %12s  %-24s  %s\n", "USD a year", "P95 deaths", "package");
  for (const json& f : s["p95_frontier"])
    out += fmt("  %12s  %-24.4g  %s\n", usd(get(f, "cost_usd")).c_str(),
               get(f, "fatalities_p95_per_year"), f["package"].get<std::string>().c_str());
  if (!s["interactions"].empty()) {
    out +=
        "\ninteractions, in lives saved a mission-year (fresh seeds): the pair together, the "
        "sum of each alone, the difference (< 0: they overlap, > 0: synergy)\n";
    out += fmt("  %8s  %8s  %-24s  %s\n", "together", "alone", "difference", "pair");
    for (const json& i : s["interactions"])
      out += fmt("  %8.3g  %8.3g  %-24s  %s + %s\n", get(i, "together"), get(i, "sum_alone"),
                 with_ci(i["interaction"], i["ci"]).c_str(),
                 i["options"][0].get<std::string>().c_str(),
                 i["options"][1].get<std::string>().c_str());
  }
  std::vector<const json*> rows;
  for (const json& p : s["packages"]) rows.push_back(&p);
  std::stable_sort(rows.begin(), rows.end(), [&](const json* a, const json* b) {
    return deaths ? get(*a, "objective") < get(*b, "objective")
                  : get(*a, "objective") > get(*b, "objective");
  });
  const size_t shown = std::min<size_t>(rows.size(), 15);
  out +=
      fmt("\npackages (the best %zu of %zu by objective over the selection replications; * on "
          "the frontier):\n",
          shown, rows.size());
  out +=
      fmt("  %12s  %10s  %8s  %-12s %s\n", "USD a year", "objective", "reps", "status", "package");
  for (size_t i = 0; i < shown; ++i) {
    const json& p = *rows[i];
    out += fmt("  %12s  %10.4g  %8lld  %-12s %s%s\n", usd(get(p, "cost_per_year_usd")).c_str(),
               get(p, "objective"), static_cast<long long>(p["replications"].get<int64_t>()),
               p["status"].get<std::string>().c_str(), p["package"].get<std::string>().c_str(),
               p["frontier"].get<bool>() ? " *" : "");
  }
  return out;
}

std::string select_csv(const json& result) {
  const json& s = result["select"];
  if (!s.contains("packages")) return "";  // interrupted
  std::string out =
      "package,options,cost_per_year_usd,replications,objective,ci_lo,ci_hi,ci_method,"
      "fatalities_per_year,fatalities_p95_per_year,status,frontier,p95_frontier,within_delta\n";
  const auto cell = [](const json& v) {
    if (v.is_number()) return fmt("%.17g", v.get<double>());
    if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
    if (v.is_string()) return v.get<std::string>();
    return std::string();
  };
  for (const json& p : s["packages"]) {
    std::string options;
    for (const json& o : p["options"]) {
      if (!options.empty()) options += ';';
      options += o.get<std::string>();
    }
    csv_row(out,
            {cell(p["package"]), options, cell(p["cost_per_year_usd"]), cell(p["replications"]),
             cell(p["objective"]), cell(p["ci"][0]), cell(p["ci"][1]), cell(p["ci_method"]),
             cell(p["fatalities_per_year"]), cell(p["fatalities_p95_per_year"]), cell(p["status"]),
             cell(p["frontier"]), cell(p["p95_frontier"]), cell(p["within_delta"])});
  }
  return out;
}

std::string select_plan_table(const json& result) {
  const json& s = result["select_plan"];
  std::string out =
      fmt("%zu packages to compare, %zu left out; the first stage alone is %lld "
          "replications%s\n",
          s["packages"].size(), s["left_out"].size(),
          static_cast<long long>(s["first_stage_replications"].get<int64_t>()),
          s["screening"].get<bool>() ? " (more than 1,024: screened first)" : "");
  out += fmt("\n  %12s  %s\n", "USD a year", "package");
  for (const json& p : s["packages"])
    out += fmt("  %12s  %s\n", usd(get(p, "cost_per_year_usd")).c_str(),
               p["package"].get<std::string>().c_str());
  if (!s["left_out"].empty()) out += "\nleft out:\n";
  for (const json& l : s["left_out"])
    out += fmt("  %s: %s\n", l["package"].get<std::string>().c_str(),
               l["reason"].get<std::string>().c_str());
  return out;
}

}  // namespace pk
