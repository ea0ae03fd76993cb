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
#include "util/csv.hpp"

namespace pk {

namespace {

// Position of `name` in r.metric_names (fatalities when absent).
size_t metric_index(const RunResult& r, const std::string& name) {
  for (size_t i = 0; i < r.metric_names.size(); ++i)
    if (r.metric_names[i] == name) return i;
  return kFatalitiesMetric;
}

double mean_of(const ArmResult& arm, size_t metric) {
  return summarize(arm.metrics[metric]).mean;
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

// Width of the arm column: the longest name, at least `least`, so that long
// names and method tags never shift the columns after them.
int arm_width(const RunResult& r, size_t least = 18) {
  size_t w = least;
  for (const ArmResult& arm : r.arms) w = std::max(w, arm.name.size());
  return static_cast<int>(w);
}

// Fatalities with their interval, KIA/DOW/WIA, P95, the rate and P(>=1), per arm.
std::string headline_table(const RunResult& r) {
  std::string o, notes;
  std::vector<std::string> cis, pys;
  size_t ci_width = 22;
  for (const ArmResult& arm : r.arms) {
    const MetricSummary f = summarize(arm.metrics[kFatalitiesMetric]);
    const double scale = 1000.0 / arm.personnel_years;
    char ci[96], py[64];
    std::snprintf(ci, sizeof ci, "%.2f [%.2f, %.2f]%s", f.mean, f.ci95.lo, f.ci95.hi,
                  method_tag(f.ci_method).c_str());
    std::snprintf(py, sizeof py, "%.2f [%.2f, %.2f]", f.mean * scale, f.ci95.lo * scale,
                  f.ci95.hi * scale);
    cis.push_back(ci);
    pys.push_back(py);
    ci_width = std::max(ci_width, cis.back().size());
  }
  const int name_w = arm_width(r), ci_w = static_cast<int>(ci_width);
  char line[1024];
  std::snprintf(line, sizeof line, "%-*s %*s %7s %7s %7s %7s %16s %7s\n", name_w, "arm", ci_w,
                "fatalities (95% CI)", "KIA", "DOW", "WIA", "P95", "per 1,000 py", "P(>=1)");
  o += line;
  const size_t kia = metric_index(r, "kia"), dow = metric_index(r, "dow"),
               wia = metric_index(r, "wia");
  for (size_t a = 0; a < r.arms.size(); ++a) {
    const ArmResult& arm = r.arms[a];
    const MetricSummary f = summarize(arm.metrics[kFatalitiesMetric]);
    if (f.few_events) notes += few_events_note(arm.name, "fatalities", f);
    std::snprintf(line, sizeof line, "%-*s %*s %7.2f %7.2f %7.2f %7.0f %16s %6.1f%%\n", name_w,
                  arm.name.c_str(), ci_w, cis[a].c_str(), mean_of(arm, kia), mean_of(arm, dow),
                  mean_of(arm, wia), f.p95, pys[a].c_str(),
                  f.n ? 100.0 * arm.any_fatality / f.n : 0.0);
    o += line;
  }
  return o + notes;
}

// Mean fatalities of each registered cause, per arm.
std::string cause_table(const RunResult& r) {
  std::string o = "\nfatalities by cause (mean per replication)\n";
  char cell[64];
  const size_t name_w = static_cast<size_t>(arm_width(r));
  o += "arm" + std::string(name_w - 3, ' ');
  for (const ThreatType& c : threat_types()) {
    std::snprintf(cell, sizeof cell, " %8s", c.name);
    o += cell;
  }
  o += "\n";
  for (const ArmResult& arm : r.arms) {
    o += arm.name + std::string(name_w - arm.name.size(), ' ');
    for (const ThreatType& c : threat_types()) {
      const size_t m = metric_index(r, std::string("fatalities_by_cause.") + c.name);
      std::snprintf(cell, sizeof cell, " %8.3f", mean_of(arm, m));
      o += cell;
    }
    o += "\n";
  }
  return o;
}

// Each arm against the baseline: paired change, RRR, lives saved, cost per life.
std::string versus_baseline_table(const LoadedScenario& ls, const RunResult& r) {
  if (r.arms.size() < 2) return "";
  const double years = horizon_years(ls);
  std::string o = "\nversus baseline (paired on common random numbers)\n", notes;
  std::vector<Comparison> cs;
  std::vector<std::string> cis;
  size_t ci_width = 26;
  for (size_t a = 1; a < r.arms.size(); ++a) {
    cs.push_back(compare(r.arms[a], r.arms[0], years));
    const Comparison& c = cs.back();
    char ci[96];
    std::snprintf(ci, sizeof ci, "%+.3f [%+.3f, %+.3f]%s", c.diff.mean, c.diff.ci95.lo,
                  c.diff.ci95.hi, method_tag(c.diff.ci_method).c_str());
    cis.push_back(ci);
    ci_width = std::max(ci_width, cis.back().size());
  }
  const int name_w = arm_width(r), ci_w = static_cast<int>(ci_width);
  char line[1024];
  std::snprintf(line, sizeof line, "%-*s %*s %8s %14s %16s %14s\n", name_w, "arm", ci_w,
                "fatality change (95% CI)", "RRR", "lives/yr saved", "cost USD", "USD per life");
  o += line;
  for (size_t a = 1; a < r.arms.size(); ++a) {
    const Comparison& c = cs[a - 1];
    char per[32];
    if (c.diff.few_events) notes += few_events_note(r.arms[a].name, "fatality change", c.diff);
    if (c.cost_per_fatality_averted)
      std::snprintf(per, sizeof per, "%.0f", *c.cost_per_fatality_averted);
    else if (c.effect == Effect::kHarmful)
      std::snprintf(per, sizeof per, "harmful");
    else
      std::snprintf(per, sizeof per, "none averted");
    std::snprintf(line, sizeof line, "%-*s %*s %7.1f%% %14.3f %16.0f %14s\n", name_w,
                  r.arms[a].name.c_str(), ci_w, cis[a - 1].c_str(), 100 * c.rrr, c.averted_per_year,
                  r.arms[a].cost_usd, per);
    o += line;
  }
  return o + notes;
}

// Every metric of the registry: its unit, which way is better, its mean in each arm.
std::string every_metric_table(const LoadedScenario& ls, const RunResult& r) {
  std::map<std::string, MetricInfo> info;
  for (const MetricInfo& m : metric_registry(ls.baseline())) info[m.name] = m;
  std::string o = "\nevery metric (mean per replication; better: lower, higher or neutral)\n";
  char cell[256];
  std::snprintf(cell, sizeof cell, "%-40s %-11s %-7s", "metric", "unit", "better");
  o += cell;
  for (const ArmResult& arm : r.arms) {
    std::snprintf(cell, sizeof cell, " %12s", arm.name.c_str());
    o += cell;
  }
  o += "\n";
  for (size_t m = 0; m < r.metric_names.size(); ++m) {
    const auto it = info.find(r.metric_names[m]);
    std::snprintf(cell, sizeof cell, "%-40s %-11s %-7s", r.metric_names[m].c_str(),
                  it == info.end() ? "" : it->second.unit.c_str(),
                  it == info.end() ? "" : direction_name(it->second.direction));
    o += cell;
    for (const ArmResult& arm : r.arms) {
      std::snprintf(cell, sizeof cell, " %12.4f", mean_of(arm, m));
      o += cell;
    }
    o += "\n";
  }
  return o;
}

}  // namespace

std::string result_table(const LoadedScenario& ls, const RunResult& r) {
  char line[512];
  std::snprintf(line, sizeof line, "%s — %lld replications of %g days, seed %llu%s\n\n",
                ls.baseline().name.c_str(), static_cast<long long>(r.replications),
                ls.baseline().horizon_hours / kHoursPerDay, static_cast<unsigned long long>(r.seed),
                r.complete ? "" : "  [PARTIAL: interrupted]");
  std::string o = line;
  o +=
      headline_table(r) + cause_table(r) + versus_baseline_table(ls, r) + every_metric_table(ls, r);
  const AcceptanceVerdict v = check_acceptance(ls, r);
  if (v.checked) o += "\n" + v.reason + "\n";
  return o;
}

std::string result_csv(const LoadedScenario& ls, const RunResult& r) {
  (void)ls;
  std::string o;
  csv_row(o, {"arm", "metric", "mean", "sd", "ci95_lo", "ci95_hi", "p50", "p90", "p95", "p99",
              "cvar95"});
  const auto num = [](const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return std::string(buf);
  };
  for (const ArmResult& arm : r.arms)
    for (size_t m = 0; m < r.metric_names.size(); ++m) {
      const MetricSummary s = summarize(arm.metrics[m]);
      csv_row(o, {arm.name, r.metric_names[m], num("%.10g", s.mean), num("%.10g", s.sd),
                  num("%.10g", s.ci95.lo), num("%.10g", s.ci95.hi), num("%g", s.p50),
                  num("%g", s.p90), num("%g", s.p95), num("%g", s.p99), num("%.10g", s.cvar95)});
    }
  return o;
}

}  // namespace pk
