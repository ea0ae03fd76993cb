#include "experiment/select.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>

#include "stats/ranking.hpp"
#include "stats/rounding.hpp"

namespace pk {

using nlohmann::json;

namespace {

// Two YAML values written alike (kind, text, keys and elements in order).
bool same_value(const Node& a, const Node& b) {
  if (a.kind != b.kind || a.scalar != b.scalar || a.map.size() != b.map.size() ||
      a.seq.size() != b.seq.size())
    return false;
  for (size_t i = 0; i < a.map.size(); ++i)
    if (a.map[i].key != b.map[i].key || !same_value(a.map[i].value, b.map[i].value)) return false;
  for (size_t i = 0; i < a.seq.size(); ++i)
    if (!same_value(a.seq[i], b.seq[i])) return false;
  return true;
}

const Arm* arm_named(const LoadedScenario& ls, const std::string& name) {
  for (const Arm& a : ls.arms)
    if (a.name == name) return &a;
  return nullptr;
}

bool holds(const std::vector<std::string>& arms, const std::string& name) {
  return std::find(arms.begin(), arms.end(), name) != arms.end();
}

// Why a rule leaves the package out ("" when none does).
std::string rule_against(const SelectSpec& spec, const std::vector<std::string>& arms) {
  for (const SelectRule& r : spec.rules) {
    if (!r.if_arm.empty() && holds(arms, r.if_arm) && !holds(arms, r.requires_arm))
      return r.if_arm + " requires " + r.requires_arm;
    size_t held = 0;
    for (const std::string& e : r.excludes) held += holds(arms, e);
    if (held > 1)
      return "a rule allows one of " + [&] {
        std::string list;
        for (const std::string& e : r.excludes) list += (list.empty() ? "" : ", ") + e;
        return list;
      }();
  }
  return "";
}

// Options a and b that set one path differently must never be together.
bool check_conflicts(const LoadedScenario& ls, const SelectSpec& spec, Diagnostics& diags) {
  bool ok = true;
  for (size_t a = 0; a < spec.options.size(); ++a)
    for (size_t b = a + 1; b < spec.options.size(); ++b) {
      const std::vector<std::string> both = {spec.options[a], spec.options[b]};
      if (!rule_against(spec, both).empty()) continue;
      const Arm* x = arm_named(ls, spec.options[a]);
      const Arm* y = arm_named(ls, spec.options[b]);
      for (const MapEntry& e : x->overrides.map) {
        const Node* other = y->overrides.find(e.key);
        if (!other || same_value(e.value, *other)) continue;
        diags.error(spec.option_marks[b], "select.options",
                    "options '" + both[0] + "' and '" + both[1] + "' both set " + e.key +
                        ", differently: a package cannot hold both (add the rule {excludes: [" +
                        both[0] + ", " + both[1] + "]})");
        ok = false;
      }
    }
  return ok;
}

Package package_of(const LoadedScenario& ls, const std::vector<std::string>& arms) {
  Package p;
  p.arms = arms;
  for (const std::string& name : arms) {
    const Arm* arm = arm_named(ls, name);
    p.label += (p.label.empty() ? "" : " + ") + name;
    p.cost_per_year_usd += arm->per_year_cost_usd();
    for (const MapEntry& e : arm->overrides.map) {
      const bool already = std::any_of(p.overrides.begin(), p.overrides.end(),
                                       [&](const PointOverride& o) { return o.path == e.key; });
      if (!already) p.overrides.push_back({e.key, e.value});
    }
  }
  if (p.label.empty()) p.label = "baseline";
  return p;
}

std::vector<Variant> variants_of(const SelectPlan& plan) {
  std::vector<Variant> v;
  for (const Package& p : plan.packages) v.push_back({p.label, p.overrides, true, {}});
  return v;
}

// Each package's fatalities by replication, from the rows of its units.
class RowSink : public Sink {
 public:
  RowSink(size_t packages, int64_t first, int64_t count)
      : values(packages, std::vector<double>(static_cast<size_t>(count), 0.0)), first_(first) {}
  void accept(const WorkUnit& unit, const RunResult& r) override {
    const auto m =
        static_cast<size_t>(std::find(r.metric_names.begin(), r.metric_names.end(), "fatalities") -
                            r.metric_names.begin());
    const size_t per = r.arms.size() * r.metric_names.size();  // one arm: the package
    for (int64_t j = 0; j < unit.count; ++j)
      values[unit.variant][static_cast<size_t>(unit.first - first_ + j)] =
          static_cast<double>(r.rows[static_cast<size_t>(j) * per + m]);
  }
  std::vector<std::vector<double>> values;  // package × replication of the round

 private:
  int64_t first_;
};

}  // namespace

bool plan_select(const LoadedScenario& ls, const SelectSettings& settings, SelectPlan& plan,
                 Diagnostics& diags) {
  if (!ls.select) {
    diags.error({}, "select", "the scenario has no select block");
    return false;
  }
  plan.spec = *ls.select;
  plan.settings = settings;
  plan.years = ls.baseline().horizon_hours / (kHoursPerDay * kDaysPerYear);
  const SelectSpec& spec = plan.spec;
  if (!check_conflicts(ls, spec, diags)) return false;
  const size_t n = spec.options.size();
  for (uint64_t mask = 0; mask < (uint64_t{1} << n); ++mask) {
    std::vector<std::string> arms;
    for (size_t i = 0; i < n; ++i)
      if (mask >> i & 1) arms.push_back(spec.options[i]);
    Package p = package_of(ls, arms);
    std::string why = rule_against(spec, arms);
    if (why.empty() && spec.budget_usd && p.cost_per_year_usd > *spec.budget_usd * (1 + 1e-12)) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "costs %.0f USD a year, over the budget of %.0f",
                    p.cost_per_year_usd, *spec.budget_usd);
      why = buf;
    }
    if (!why.empty())
      plan.left_out.push_back({p.label, why});
    else
      plan.packages.push_back(std::move(p));
  }
  if (plan.packages.size() > kMaxPackages) {
    diags.error(spec.mark, "select",
                std::to_string(plan.packages.size()) + " packages to compare, more than " +
                    std::to_string(kMaxPackages) +
                    ": add rules, lower the budget or offer fewer options");
    return false;
  }
  // Every package must build (two arms' overrides may break a rule together).
  return check_variants(ls, variants_of(plan), settings.threads, diags);
}

SelectOutcome run_select(const LoadedScenario& ls, const SelectPlan& plan,
                         const ExecutionPolicy& policy) {
  const size_t k = plan.packages.size();
  const SelectSpec& spec = plan.spec;
  ExecutionPolicy rows_policy = policy;
  rows_policy.keep_rows = true;
  Executor executor(ls, rows_policy);
  const std::vector<Variant> variants = variants_of(plan);
  KimNelson kn(k, {.indifference_zone = spec.indifference_zone,
                   .confidence = spec.confidence,
                   .first_stage = spec.first_stage});
  SelectOutcome out;
  std::vector<std::vector<double>> fatalities(k);   // per mission-year, by replication
  const auto objective = [&](size_t p, double f) {  // larger is better
    return spec.net_benefit ? -spec.wtp_usd * f - plan.packages[p].cost_per_year_usd : -f;
  };
  int64_t r = 0;
  // One package alone is selected at once; its first stage still runs, so
  // that what it gives is shown.
  const bool alone = k == 1;
  while (r == 0 || !kn.done()) {
    const int64_t round = r == 0 ? spec.first_stage : std::max<int64_t>(1, plan.settings.batch);
    Plan exec;
    exec.seed = plan.settings.seed;  // every package the same streams: common random numbers
    exec.replications = exec.batch = round;
    exec.threads = plan.settings.threads;
    exec.side_by_side = true;
    std::vector<Executor::Extension> units;
    for (size_t p = 0; p < k; ++p)
      if (kn.contending(p)) units.push_back({p, r, round});
    RowSink sink(k, r, round);
    if (executor.extend(variants, units, exec, sink).stopped) {
      out.complete = false;
      break;
    }
    std::vector<double> x(k, 0.0);
    for (int64_t j = 0; j < round && (alone || !kn.done()); ++j) {
      for (size_t p = 0; p < k; ++p) {
        if (!kn.contending(p)) continue;
        const double f = sink.values[p][static_cast<size_t>(j)] / plan.years;
        fatalities[p].push_back(f);
        x[p] = objective(p, f);
      }
      kn.observe(x);
    }
    r += round;
  }
  out.selected = kn.selected();
  out.eta = kn.eta();
  out.h2 = kn.h2();
  for (size_t p = 0; p < k; ++p) {
    const auto n = alone ? fatalities[p].size() : static_cast<size_t>(kn.replications_of(p));
    double sum = 0;
    for (size_t j = 0; j < n && j < fatalities[p].size(); ++j) sum += fatalities[p][j];
    const double f = n ? sum / static_cast<double>(n) : 0.0;
    out.replications.push_back(static_cast<int64_t>(n));
    out.fatalities.push_back(f);
    out.objective.push_back(spec.net_benefit ? objective(p, f) : f);
    out.contending.push_back(kn.contending(p));
  }
  return out;
}

json select_json(const SelectPlan& plan, const SelectOutcome& o) {
  const SelectSpec& spec = plan.spec;
  json packages = json::array();
  int64_t total = 0;
  for (size_t p = 0; p < plan.packages.size(); ++p) {
    const Package& pk = plan.packages[p];
    total += o.replications[p];
    packages.push_back({{"package", pk.label},
                        {"arms", pk.arms},
                        {"cost_per_year_usd", round_significant(pk.cost_per_year_usd, 6)},
                        {"replications", o.replications[p]},
                        {"fatalities_per_year", round_significant(o.fatalities[p], 6)},
                        {"objective", round_significant(o.objective[p], 6)},
                        {"status", p == o.selected && o.complete ? "selected"
                                   : o.contending[p]             ? "contending"
                                                                 : "eliminated"}});
  }
  json left = json::array();
  for (const auto& l : plan.left_out) left.push_back({{"package", l.label}, {"reason", l.reason}});
  json s = {{"objective", spec.net_benefit ? "net_benefit" : "fatalities"},
            {"units", spec.net_benefit ? "USD per mission-year" : "fatalities per mission-year"},
            {"indifference_zone", spec.indifference_zone},
            {"confidence", spec.confidence},
            {"first_stage", spec.first_stage},
            {"procedure", "KN (Kim & Nelson 2001), common random numbers"},
            {"eta", round_significant(o.eta, 6)},
            {"h2", round_significant(o.h2, 6)},
            {"complete", o.complete},
            {"replications_total", total},
            {"seed", plan.settings.seed},
            {"packages", packages},
            {"left_out", left}};
  if (spec.budget_usd) s["budget_usd"] = *spec.budget_usd;
  if (spec.net_benefit) s["wtp_usd"] = spec.wtp_usd;
  if (o.complete) {
    s["selected"] = plan.packages[o.selected].label;
    s["selected_arms"] = plan.packages[o.selected].arms;
  }
  return {{"select", s}};
}

std::string select_table(const json& result) {
  const json& s = result["select"];
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "objective %s, indifference zone %g, confidence %g: %lld replications in all\n\n",
                s["objective"].get<std::string>().c_str(), s["indifference_zone"].get<double>(),
                s["confidence"].get<double>(),
                static_cast<long long>(s["replications_total"].get<int64_t>()));
  out += line;
  std::snprintf(line, sizeof line, "%-44s %12s %12s %12s %8s  %s\n", "package", "cost/yr USD",
                "deaths/yr", "objective", "reps", "status");
  out += line;
  for (const auto& p : s["packages"]) {
    std::snprintf(line, sizeof line, "%-44s %12.4g %12.3f %12.4g %8lld  %s\n",
                  p["package"].get<std::string>().c_str(), p["cost_per_year_usd"].get<double>(),
                  p["fatalities_per_year"].get<double>(), p["objective"].get<double>(),
                  static_cast<long long>(p["replications"].get<int64_t>()),
                  p["status"].get<std::string>().c_str());
    out += line;
  }
  if (!s["left_out"].empty()) {
    std::snprintf(line, sizeof line, "\n%zu packages left out (the budget or a rule)\n",
                  s["left_out"].size());
    out += line;
  }
  if (s.contains("selected"))
    out += "\nselected: " + s["selected"].get<std::string>() + "\n";
  else
    out += "\ninterrupted: nothing selected\n";
  return out;
}

}  // namespace pk
