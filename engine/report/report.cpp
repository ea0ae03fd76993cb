#include "report/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "experiment/metrics.hpp"
#include "scenario/threats.hpp"
#include "stats/ratio.hpp"
#include "stats/rounding.hpp"
#include "util/csv.hpp"

namespace pk {

std::string cost_words(const ArmCost& c, double years) {
  const auto usd = [](double v) { return fixed(v, 0, true); };
  if (c.basis == CostBasis::kHorizon)
    return c.written_usd == 0 ? "no cost"
                              : usd(c.written_usd) + " USD over the horizon (" +
                                    usd(c.per_year_usd(years)) + "/yr)";
  if (c.basis == CostBasis::kPerYear) return usd(c.written_usd) + " USD/yr";
  std::string parts;
  const auto add = [&](const std::string& p) { parts += (parts.empty() ? "" : "; ") + p; };
  if (c.capital_usd > 0) {
    char life[64];
    std::snprintf(life, sizeof life, " over %g yr at %g%%: ", c.service_life_years,
                  100 * c.discount_rate);
    add("capital " + usd(c.capital_usd) + life + usd(c.capital_per_year_usd()) + "/yr");
  }
  if (c.annual_om_usd > 0) add("O&M " + usd(c.annual_om_usd) + "/yr");
  if (c.per_vehicle_km_usd > 0)
    add(fixed(c.per_vehicle_km_usd, 2) + "/km x " + usd(c.added_vehicle_km_per_year) + " km of " +
        c.vehicle_type + ": " + usd(c.running_per_year_usd()) + "/yr");
  std::string out = usd(c.per_year_usd(years)) + " USD/yr equivalent annual";
  if (!parts.empty()) out += " (" + parts + ")";
  if (c.payer != Payer::kUnstated) out += "; paid by " + std::string(payer_name(c.payer));
  return out;
}

namespace {

// Position of `name` in r.metric_names (fatalities when absent).
size_t metric_index(const RunResult& r, const std::string& name) {
  for (size_t i = 0; i < r.metric_names.size(); ++i)
    if (r.metric_names[i] == name) return i;
  return kFatalitiesMetric;
}

// The mean of a metric in an arm, to the decimals its interval supports.
std::string mean_of(const ArmResult& arm, size_t metric) {
  const MetricSummary s = summarize(arm.metrics[metric]);
  return round_estimate(s.mean, s.ci95.lo, s.ci95.hi).value;
}

// The interval's method beside it when it is not the default Student t.
std::string method_tag(CiMethod m) {
  return m == CiMethod::kT ? "" : std::string(" ") + ci_method_name(m);
}

// A line under a table for an interval that rests on few events.
std::string few_events_note(const std::string& arm, const char* what, const MetricSummary& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "  warning: %s, %s: the interval rests on %.3g events (fewer than %g)\n",
                arm.c_str(), what, s.events, kFewEvents);
  return buf;
}

// Rows of cells as aligned text: the first column to the left, the others to
// the right, each as wide as its widest cell (long names and method tags never
// shift the columns after them).
std::string aligned(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) {
      width.resize(std::max(width.size(), r.size()), 0);
      width[c] = std::max(width[c], r[c].size());
    }
  std::string o;
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      const std::string pad(width[c] - r[c].size(), ' ');
      line += c == 0 ? r[c] + pad : "  " + pad + r[c];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    o += line + "\n";
  }
  return o;
}

// A value and its interval scaled by `k`, at the precision the interval supports.
std::string scaled(double k, double v, const Interval& ci) {
  return round_estimate(v * k, ci.lo * k, ci.hi * k).with_interval();
}

// Fatalities with their interval, KIA/DOW/WIA, P95, the rate and P(>=1), per arm.
std::string headline_table(const RunResult& r) {
  std::string notes;
  std::vector<std::vector<std::string>> rows = {{"arm", "fatalities (95% CI)", "KIA", "DOW", "WIA",
                                                 "P95", "per 1,000 py (95% CI)", "P(>=1) %"}};
  const size_t kia = metric_index(r, "kia"), dow = metric_index(r, "dow"),
               wia = metric_index(r, "wia");
  for (const ArmResult& arm : r.arms) {
    const MetricSummary f = summarize(arm.metrics[kFatalitiesMetric]);
    if (f.few_events) notes += few_events_note(arm.name, "fatalities", f);
    const ProportionInterval p = proportion_interval(arm.any_fatality, f.n);
    const double share = f.n ? static_cast<double>(arm.any_fatality) / f.n : 0.0;
    char p95[32];
    std::snprintf(p95, sizeof p95, "%.0f", f.p95);
    rows.push_back({arm.name, scaled(1, f.mean, f.ci95) + method_tag(f.ci_method),
                    mean_of(arm, kia), mean_of(arm, dow), mean_of(arm, wia), p95,
                    scaled(1000.0 / arm.personnel_years, f.mean, f.ci95),
                    round_estimate(100 * share, 100 * p.ci.lo, 100 * p.ci.hi).value});
  }
  return aligned(rows) + notes;
}

// Mean fatalities of each registered cause, per arm.
std::string cause_table(const RunResult& r) {
  std::vector<std::vector<std::string>> rows = {{"arm"}};
  for (const ThreatType& c : threat_types()) rows[0].push_back(c.name);
  // Malicious acts beside all causes (docs/model.md §2.8).
  rows[0].push_back("malicious");
  rows[0].push_back("all causes");
  for (const ArmResult& arm : r.arms) {
    rows.push_back({arm.name});
    for (const ThreatType& c : threat_types())
      rows.back().push_back(
          mean_of(arm, metric_index(r, std::string("fatalities_by_cause.") + c.name)));
    rows.back().push_back(mean_of(arm, kMaliciousFatalitiesMetric));
    rows.back().push_back(mean_of(arm, kFatalitiesMetric));
  }
  return "\nfatalities by cause (mean per replication)\n" + aligned(rows);
}

// Mean fatalities of each contingent (its movements and sites, docs/model.md
// §3.4) and of the rest, per arm; nothing without contingents.
std::string contingent_table(const LoadedScenario& ls, const RunResult& r) {
  const std::vector<Contingent>& cs = ls.baseline().contingents;
  if (cs.empty()) return "";
  std::vector<std::vector<std::string>> rows = {{"arm"}};
  for (const Contingent& c : cs) rows[0].push_back(c.id);
  rows[0].push_back("no contingent");
  for (const ArmResult& arm : r.arms) {
    rows.push_back({arm.name});
    const MetricSummary all = summarize(arm.metrics[kFatalitiesMetric]);
    double rest = all.mean;
    for (const Contingent& c : cs) {
      const size_t i = metric_index(r, "fatalities_by_contingent." + c.id);
      rows.back().push_back(mean_of(arm, i));
      rest -= summarize(arm.metrics[i]).mean;
    }
    // Printed at the precision of the total's interval, which it is part of; a
    // difference of sums that is 0 but for rounding prints as 0.
    if (std::fabs(rest) < 1e-9 * std::max(1.0, all.mean)) rest = 0;
    const double half = (all.ci95.hi - all.ci95.lo) / 2;
    rows.back().push_back(round_estimate(rest, rest - half, rest + half).value);
  }
  return "\nfatalities by contingent (mean per replication)\n" + aligned(rows);
}

// Malicious fatalities avoided in each month of the horizon, baseline less
// arm, for every arm (static and adaptive twin, docs/model.md §2.9); nothing
// without monthly counts. Up to 36 months here; the JSON has them all.
std::string monthly_table(const RunResult& r) {
  const std::string prefix(kMaliciousByMonthPrefix);
  std::vector<size_t> months;
  for (size_t m = 0; m < r.metric_names.size() && months.size() < 36; ++m)
    if (r.metric_names[m].compare(0, prefix.size(), prefix) == 0) months.push_back(m);
  if (months.empty() || r.arms.size() < 2) return "";
  std::vector<std::vector<std::string>> rows = {{"arm"}};
  for (size_t m : months) rows[0].push_back(r.metric_names[m].substr(prefix.size()));
  for (size_t a = 1; a < r.arms.size(); ++a) {
    rows.push_back({r.arms[a].name});
    for (size_t m : months) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f",
                    summarize(r.arms[0].metrics[m]).mean - summarize(r.arms[a].metrics[m]).mean);
      rows.back().push_back(buf);
    }
  }
  return "\nlives saved by month of the horizon (malicious fatalities, baseline less arm; the "
         "JSON has intervals)\n" +
         aligned(rows);
}

// 10-1-2 for T1 casualties and the load on the Role 2, per arm (docs/model.md
// §3.6); nothing without a care chain.
std::string care_table(const LoadedScenario& ls, const RunResult& r) {
  if (std::none_of(ls.arms.begin(), ls.arms.end(),
                   [](const Arm& a) { return has_care_chain(a.scenario); }))
    return "";
  std::vector<std::vector<std::string>> rows = {
      {"arm", "T1", "first aid <= 10 min", "advanced care <= 1 h", "surgery <= 2 h",
       "died before first aid", "before advanced care", "bed-days", "peak beds"}};
  for (const ArmResult& arm : r.arms) {
    rows.push_back({arm.name, mean_of(arm, metric_index(r, "care.t1"))});
    for (const RatioSums& s : arm.ten_one_two) {
      const ShareEstimate e = share_estimate(s);
      if (!e.defined) {
        rows.back().push_back("-");
        continue;
      }
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f%% [%.1f, %.1f]", 100 * e.value, 100 * e.ci95.lo,
                    100 * e.ci95.hi);
      rows.back().push_back(buf);
    }
    for (const char* m : {"care.died_before_first_aid", "care.died_before_advanced_care",
                          "care.bed_days", "care.peak_beds"})
      rows.back().push_back(mean_of(arm, metric_index(r, m)));
  }
  return "\ncare chain: share of T1 casualties meeting 10-1-2 (95% CI); others mean per "
         "replication\n" +
         aligned(rows);
}

// "(365 d)": the horizon a cost is over, for a column heading.
std::string horizon_words(double years) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "(%.0f d)", years * kDaysPerYear);
  return buf;
}

// What an arm buys, in the words of its verdict: the cost per life saved with
// Fieller's interval (its case when not bounded), or the verdict itself.
std::string verdict_text(const Comparison& c) {
  if (c.verdict != Verdict::kCostPerLife || !c.cost_per_fatality_averted ||
      !c.cost_per_fatality_averted_ci95)
    return verdict_words(c.verdict);
  const Interval& ci = *c.cost_per_fatality_averted_ci95;
  return round_estimate(*c.cost_per_fatality_averted, ci.lo, ci.hi, true).with_interval() +
         (c.cost_set.shape == FiellerCase::kBounded
              ? ""
              : std::string(" fieller ") + fieller_case_name(c.cost_set.shape));
}

// Each arm against the baseline: paired change, RRR, lives saved, cost per life.
std::string versus_baseline_table(const LoadedScenario& ls, const RunResult& r) {
  if (r.arms.size() < 2) return "";
  const double years = horizon_years(ls);
  std::string notes, costs;
  std::vector<std::vector<std::string>> rows = {
      {"arm", "fatality change (95% CI)", "RRR % (95% CI)", "lives/yr saved", "USD/yr",
       "USD " + horizon_words(years), "USD per life saved (95% CI) or verdict"}};
  for (size_t a = 1; a < r.arms.size(); ++a) {
    const Comparison c = compare(r.arms[a], r.arms[0], years);
    if (c.diff.few_events) notes += few_events_note(r.arms[a].name, "fatality change", c.diff);
    const Interval saved = {-c.diff.ci95.hi / years, -c.diff.ci95.lo / years};
    rows.push_back({r.arms[a].name,
                    scaled(1, c.diff.mean, c.diff.ci95) + method_tag(c.diff.ci_method),
                    c.rrr_set.shape == FiellerCase::kBounded
                        ? scaled(100, c.rrr, c.rrr_ci95)
                        : round_estimate(100 * c.rrr, -HUGE_VAL, HUGE_VAL).value + " fieller " +
                              fieller_case_name(c.rrr_set.shape),
                    round_estimate(c.averted_per_year, saved.lo, saved.hi).value,
                    fixed(r.arms[a].cost_usd / years, 0, true), fixed(r.arms[a].cost_usd, 0, true),
                    verdict_text(c)});
    if (a < ls.arms.size() && ls.arms[a].cost.basis == CostBasis::kEquivalentAnnual)
      costs += "  " + r.arms[a].name + ": " + cost_words(ls.arms[a].cost, years) + "\n";
  }
  if (!costs.empty()) notes += "equivalent annual costs (USD/yr):\n" + costs;
  return "\nversus baseline (paired on common random numbers)\n" + aligned(rows) + notes;
}

// Every metric of the registry: its unit, which way is better, its mean in each arm.
std::string every_metric_table(const LoadedScenario& ls, const RunResult& r) {
  std::map<std::string, MetricInfo> info;
  for (const MetricInfo& m : metric_registry(ls.baseline())) info[m.name] = m;
  std::vector<std::vector<std::string>> rows = {{"metric", "unit", "better"}};
  for (const ArmResult& arm : r.arms) rows[0].push_back(arm.name);
  for (size_t m = 0; m < r.metric_names.size(); ++m) {
    const auto it = info.find(r.metric_names[m]);
    rows.push_back({r.metric_names[m], it == info.end() ? "" : it->second.unit,
                    it == info.end() ? "" : direction_name(it->second.direction)});
    for (const ArmResult& arm : r.arms) rows.back().push_back(mean_of(arm, m));
  }
  return "\nevery metric (mean per replication; better: lower, higher or neutral)\n" +
         aligned(rows);
}

}  // namespace

std::string result_table(const LoadedScenario& ls, const RunResult& r) {
  char line[512];
  std::snprintf(line, sizeof line, "%s — %lld replications of %g days, seed %llu%s\n\n",
                ls.baseline().name.c_str(), static_cast<long long>(r.replications),
                ls.baseline().horizon_hours / kHoursPerDay, static_cast<unsigned long long>(r.seed),
                r.complete ? "" : "  [PARTIAL: interrupted]");
  std::string o = line;
  o += headline_table(r) + cause_table(r) + contingent_table(ls, r) + care_table(ls, r) +
       versus_baseline_table(ls, r) + monthly_table(r) + every_metric_table(ls, r);
  const AcceptanceVerdict v = check_acceptance(ls, r);
  if (v.checked) o += "\n" + v.reason + "\n";
  return o;
}

namespace {

// The columns of `run --format csv` (docs/model.md §6, "Other outputs").
enum CsvColumn {
  kArm,
  kMetric,
  kMean,
  kSd,
  kCiLo,
  kCiHi,
  kCiMethod,
  kEvents,
  kP50,
  kP90,
  kP95,
  kP99,
  kCvar,
  kCvarLo,
  kCvarHi,
  kVerdict,
  kLimit,
  kUpperBound,
  kConfidence,
  kColumns
};

using CsvCells = std::vector<std::string>;

CsvCells csv_cells(const std::string& arm, const std::string& metric) {
  CsvCells c(kColumns);
  c[kArm] = arm;
  c[kMetric] = metric;
  return c;
}

// A number as data: 10 significant digits; an infinite end (unbounded) empty.
std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0) return "0";  // never "-0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

void csv_interval(CsvCells& c, const Interval& ci, const std::string& method) {
  c[kCiLo] = csv_number(ci.lo);
  c[kCiHi] = csv_number(ci.hi);
  c[kCiMethod] = method;
}

// A Fieller set's method: "fieller_bounded", "fieller_exclusive", "fieller_unbounded".
std::string fieller_method(const FiellerSet& f) {
  return std::string("fieller_") + fieller_case_name(f.shape);
}

// The comparison rows of a non-baseline arm: the paired change, lives saved
// per year, RRR and cost per life saved, each with its interval and method.
void comparison_rows(std::string& o, const ArmResult& arm, const Comparison& c, double years) {
  const std::string verdict = verdict_name(c.verdict);
  CsvCells d = csv_cells(arm.name, "vs_baseline.fatalities_diff");
  d[kMean] = csv_number(c.diff.mean);
  d[kSd] = csv_number(c.diff.sd);
  csv_interval(d, c.diff.ci95, ci_method_name(c.diff.ci_method));
  d[kEvents] = csv_number(c.diff.events);
  d[kVerdict] = verdict;
  csv_row(o, d);
  CsvCells l = csv_cells(arm.name, "vs_baseline.lives_saved_per_year");
  l[kMean] = csv_number(c.averted_per_year);
  csv_interval(l, {-c.diff.ci95.hi / years, -c.diff.ci95.lo / years},
               ci_method_name(c.diff.ci_method));
  l[kVerdict] = verdict;
  csv_row(o, l);
  CsvCells rrr = csv_cells(arm.name, "vs_baseline.rrr");
  rrr[kMean] = csv_number(c.rrr);
  csv_interval(rrr, c.rrr_ci95, fieller_method(c.rrr_set));
  rrr[kVerdict] = verdict;
  csv_row(o, rrr);
  // Empty for the verdicts that have no cost per life (never 0 for a free arm).
  CsvCells cost = csv_cells(arm.name, "vs_baseline.cost_per_fatality_averted");
  if (c.cost_per_fatality_averted && c.cost_per_fatality_averted_ci95) {
    cost[kMean] = csv_number(*c.cost_per_fatality_averted);
    csv_interval(cost, *c.cost_per_fatality_averted_ci95, fieller_method(c.cost_set));
  }
  cost[kVerdict] = verdict;
  csv_row(o, cost);
}

// The acceptance rows: the mean rate's bound and the exceedance probability's.
// An arm's cost: over the horizon and per mission-year, with the basis the
// scenario states it on in the verdict column; for an equivalent annual cost
// its parts per year, which add up to the cost per mission-year (§3.1).
void cost_rows(std::string& o, const ArmResult& arm, const Arm* spec, double years) {
  const char* basis = spec ? cost_basis_name(spec->cost.basis) : "";
  const auto row = [&](const char* metric, double value) {
    CsvCells c = csv_cells(arm.name, metric);
    c[kMean] = csv_number(value);
    c[kVerdict] = basis;
    csv_row(o, c);
  };
  row("cost.horizon_usd", arm.cost_usd);
  row("cost.per_mission_year_usd", arm.cost_usd / years);
  if (!spec || spec->cost.basis != CostBasis::kEquivalentAnnual) return;
  row("cost.capital_per_year_usd", spec->cost.capital_per_year_usd());
  row("cost.annual_om_usd", spec->cost.annual_om_usd);
  row("cost.running_per_year_usd", spec->cost.running_per_year_usd());
}

void acceptance_rows(std::string& o, const std::string& arm, const AcceptanceVerdict& v) {
  const std::string verdict = !v.decided ? "not_decided" : v.passed ? "passed" : "failed";
  CsvCells m = csv_cells(arm, "acceptance.fatalities_per_1000py");
  m[kMean] = csv_number(v.mean);
  m[kCiMethod] = "t";
  m[kVerdict] = verdict;
  m[kLimit] = csv_number(v.limit);
  m[kUpperBound] = csv_number(v.upper);
  m[kConfidence] = csv_number(v.confidence);
  csv_row(o, m);
  CsvCells e = csv_cells(arm, "acceptance.exceedance_probability");
  e[kMean] = csv_number(v.exceedance);
  e[kEvents] = std::to_string(v.exceedances);
  e[kCiMethod] = "clopper_pearson";
  e[kVerdict] = verdict;
  e[kLimit] = v.max_exceedance ? csv_number(*v.max_exceedance) : "";
  e[kUpperBound] = csv_number(v.exceedance_upper);
  e[kConfidence] = csv_number(v.confidence);
  csv_row(o, e);
}

// care_10_1_2.<timeline>: the share of T1 casualties meeting it, its
// delta-method interval, and in `events` the T1 casualties (docs/model.md §3.6).
void ten_one_two_rows(std::string& o, const ArmResult& arm) {
  for (size_t k = 0; k < arm.ten_one_two.size(); ++k) {
    const ShareEstimate e = share_estimate(arm.ten_one_two[k]);
    CsvCells c = csv_cells(arm.name, std::string("care_10_1_2.") + kTenOneTwoNames[k]);
    c[kEvents] = csv_number(arm.ten_one_two[k].b);
    if (e.defined) {
      c[kMean] = csv_number(e.value);
      csv_interval(c, e.ci95, "delta");
    }
    csv_row(o, c);
  }
}

}  // namespace

std::string result_csv(const LoadedScenario& ls, const RunResult& r) {
  std::string o;
  csv_row(o, {"arm", "metric", "mean", "sd", "ci95_lo", "ci95_hi", "ci_method", "events", "p50",
              "p90", "p95", "p99", "cvar95", "cvar95_ci95_lo", "cvar95_ci95_hi", "verdict", "limit",
              "upper_bound", "confidence"});
  const double years = horizon_years(ls);
  for (size_t a = 0; a < r.arms.size(); ++a) {
    const ArmResult& arm = r.arms[a];
    for (size_t m = 0; m < r.metric_names.size(); ++m) {
      const MetricSummary s = summarize(arm.metrics[m]);
      CsvCells c = csv_cells(arm.name, r.metric_names[m]);
      c[kMean] = csv_number(s.mean);
      c[kSd] = csv_number(s.sd);
      csv_interval(c, s.ci95, ci_method_name(s.ci_method));
      c[kEvents] = csv_number(s.events);
      c[kP50] = csv_number(s.p50);
      c[kP90] = csv_number(s.p90);
      c[kP95] = csv_number(s.p95);
      c[kP99] = csv_number(s.p99);
      c[kCvar] = csv_number(s.cvar95);
      const Interval cv = cvar95_interval(arm.metrics[m]);
      c[kCvarLo] = csv_number(cv.lo);
      c[kCvarHi] = csv_number(cv.hi);
      csv_row(o, c);
    }
    const MetricSummary f = summarize(arm.metrics[kFatalitiesMetric]);
    const ProportionInterval p = proportion_interval(arm.any_fatality, f.n);
    CsvCells any = csv_cells(arm.name, "p_any_fatality");
    any[kMean] = csv_number(f.n ? static_cast<double>(arm.any_fatality) / f.n : 0);
    csv_interval(any, p.ci, ci_method_name(p.method));
    any[kEvents] = std::to_string(arm.any_fatality);
    csv_row(o, any);
    const double k = 1000.0 / arm.personnel_years;
    CsvCells py = csv_cells(arm.name, "fatalities_per_1000py");
    py[kMean] = csv_number(f.mean * k);
    csv_interval(py, {f.ci95.lo * k, f.ci95.hi * k}, ci_method_name(f.ci_method));
    csv_row(o, py);
    const MetricSummary fm = summarize(arm.metrics[kMaliciousFatalitiesMetric]);
    CsvCells mal = csv_cells(arm.name, "fatalities_malicious_per_1000py");
    mal[kMean] = csv_number(fm.mean * k);
    csv_interval(mal, {fm.ci95.lo * k, fm.ci95.hi * k}, ci_method_name(fm.ci_method));
    csv_row(o, mal);
    if (a < ls.arms.size() && has_care_chain(ls.arms[a].scenario)) ten_one_two_rows(o, arm);
    cost_rows(o, arm, a < ls.arms.size() && ls.arms[a].name == arm.name ? &ls.arms[a] : nullptr,
              years);
    if (a > 0) comparison_rows(o, arm, compare(arm, r.arms[0], years), years);
  }
  const AcceptanceVerdict v = check_acceptance(ls, r);
  if (v.checked && !r.arms.empty()) acceptance_rows(o, r.arms[0].name, v);
  return o;
}

}  // namespace pk
