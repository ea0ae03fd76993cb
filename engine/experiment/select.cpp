#include "experiment/select.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "experiment/serialize.hpp"
#include "pk_version.hpp"
#include "sim/random.hpp"
#include "stats/frontier.hpp"
#include "stats/ranking.hpp"
#include "stats/summary.hpp"

namespace pk {

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
    if (held > 1) {
      std::string list;
      for (const std::string& e : r.excludes) list += (list.empty() ? "" : ", ") + e;
      return "a rule allows one of " + list;
    }
  }
  return "";
}

// What an option may set: its arm's overrides, and its levels' path at any of
// their values (a level replaces the arm's own value of that path).
std::vector<PointOverride> settings_of(const LoadedScenario& ls, const SelectOption& o) {
  std::vector<PointOverride> out;
  for (const MapEntry& e : arm_named(ls, o.arm)->overrides.map)
    if (!o.levels || e.key != o.levels->path) out.push_back({e.key, e.value});
  if (o.levels)
    for (const Node& v : o.levels->values) out.push_back({o.levels->path, v});
  return out;
}

// Whether two paths reach one input: equal, or one inside the other.
bool overlap(const std::string& a, const std::string& b) {
  const auto inside = [](const std::string& outer, const std::string& inner) {
    return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
           (inner[outer.size()] == '.' || inner[outer.size()] == '[');
  };
  return a == b || inside(a, b) || inside(b, a);
}

// The input options a and b may both set, differently (one path, or one
// inside the other's); "" when none.
std::string clash(const LoadedScenario& ls, const SelectOption& a, const SelectOption& b) {
  const std::vector<PointOverride> sa = settings_of(ls, a), sb = settings_of(ls, b);
  for (const PointOverride& s : sa)
    for (const PointOverride& t : sb)
      if (overlap(s.path, t.path) && (s.path != t.path || !same_value(t.value, s.value)))
        return s.path;
  return "";
}

// Options that may set one input differently must never be in one package
// the rules allow: checked on every allowed package, each clashing pair
// reported once, at the second option's line.
class ConflictCheck {
 public:
  ConflictCheck(const LoadedScenario& ls, const SelectSpec& spec) : spec_(spec) {
    const size_t n = spec.options.size();
    clash_.assign(n * n, "");
    for (size_t a = 0; a < n; ++a)
      for (size_t b = a + 1; b < n; ++b)
        clash_[a * n + b] = clash(ls, spec.options[a], spec.options[b]);
  }
  // Reports the clashes in the package of `choice`; false when there is one.
  bool check(const std::vector<size_t>& choice, Diagnostics& diags) {
    const size_t n = spec_.options.size();
    bool ok = true;
    for (size_t a = 0; a < n; ++a)
      for (size_t b = a + 1; b < n; ++b) {
        const std::string& path = clash_[a * n + b];
        if (!choice[a] || !choice[b] || path.empty()) continue;
        ok = false;
        if (!reported_.insert(a * n + b).second) continue;
        const std::string& x = spec_.options[a].arm;
        const std::string& y = spec_.options[b].arm;
        diags.error(spec_.options[b].mark, "select.options",
                    "options '" + x + "' and '" + y + "' both set " + path +
                        " (or a key inside it), differently: a package cannot hold both (add "
                        "the rule {excludes: [" +
                        x + ", " + y + "]})");
      }
    return ok;
  }

 private:
  const SelectSpec& spec_;
  std::vector<std::string> clash_;  // n x n, upper triangle
  std::set<size_t> reported_;
};

// Sets `o` in `p` unless an earlier option set its path (to the same value:
// conflicts are refused before).
void add_override(Package& p, PointOverride o) {
  const bool already = std::any_of(p.overrides.begin(), p.overrides.end(),
                                   [&](const PointOverride& q) { return q.path == o.path; });
  if (!already) p.overrides.push_back(std::move(o));
}

// The package holding option i at choice[i] (0: out; 1..: its levels).
Package package_of(const LoadedScenario& ls, const SelectSpec& spec,
                   const std::vector<size_t>& choice) {
  Package p;
  for (size_t i = 0; i < spec.options.size(); ++i) {
    if (choice[i] == 0) continue;
    const SelectOption& o = spec.options[i];
    const Arm* arm = arm_named(ls, o.arm);
    p.arms.push_back(o.arm);
    std::string label = o.arm;
    // The arm's overrides first: a level may set a key inside one of them.
    for (const PointOverride& s : settings_of(ls, SelectOption{o.arm, o.mark, std::nullopt}))
      if (!o.levels || s.path != o.levels->path) add_override(p, s);
    if (o.levels) {
      const size_t level = choice[i] - 1;
      label += "=" + o.levels->values[level].scalar;
      p.cost_per_year_usd += o.levels->cost_usd[level];
      add_override(p, {o.levels->path, o.levels->values[level]});
    } else {
      p.cost_per_year_usd += arm->per_year_cost_usd();
    }
    p.options.push_back(label);
    p.label += (p.label.empty() ? "" : " + ") + label;
  }
  if (p.label.empty()) p.label = "baseline";
  return p;
}

// Every combination of choices, the baseline (all out) first; false when
// there are more than 2^16.
bool each_choice(const SelectSpec& spec, std::vector<std::vector<size_t>>& out) {
  double total = 1;
  for (const SelectOption& o : spec.options) total *= static_cast<double>(o.choices() + 1);
  if (total > 65536) return false;
  std::vector<size_t> choice(spec.options.size(), 0);
  for (;;) {
    out.push_back(choice);
    size_t i = 0;
    for (; i < choice.size(); ++i) {
      if (++choice[i] <= spec.options[i].choices()) break;
      choice[i] = 0;
    }
    if (i == choice.size()) return true;
  }
}

std::vector<Variant> variants_of(const SelectPlan& plan, const std::vector<size_t>& packages) {
  std::vector<Variant> v;
  for (size_t p : packages)
    v.push_back({plan.packages[p].label, plan.packages[p].overrides, true, {}});
  return v;
}

std::vector<size_t> all_packages(const SelectPlan& plan) {
  std::vector<size_t> all(plan.packages.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

// Each variant's fatalities by replication, from the rows of its units.
class RowSink : public Sink {
 public:
  // Room for the variants' values is made as their units arrive: a round
  // runs a few of many.
  RowSink(size_t variants, int64_t first, int64_t count)
      : values(variants), personnel_years(variants, 0.0), first_(first), count_(count) {}
  void accept(const WorkUnit& unit, const RunResult& r) override {
    received.insert(unit.id);
    if (values[unit.variant].empty()) values[unit.variant].assign(static_cast<size_t>(count_), 0);
    const auto m =
        static_cast<size_t>(std::find(r.metric_names.begin(), r.metric_names.end(), "fatalities") -
                            r.metric_names.begin());
    const size_t per = r.arms.size() * r.metric_names.size();  // one arm: the package
    for (int64_t j = 0; j < unit.count; ++j)
      values[unit.variant][static_cast<size_t>(unit.first - first_ + j)] =
          r.rows[static_cast<size_t>(j) * per + m];
    personnel_years[unit.variant] = r.arms[0].personnel_years;
  }
  std::vector<std::vector<int64_t>> values;  // variant × replication of the round
  std::vector<double> personnel_years;
  std::set<int64_t> received;  // unit ids

 private:
  int64_t first_, count_;
};

// Runs `units` (unit ids from `next_id` on) into `sink`; with a store, the
// units an earlier, interrupted run kept are read back from it. False when
// stopped, or with `error` when a stored unit is damaged.
bool run_round(Executor& executor, const ExecutionPolicy& policy,
               const std::vector<Variant>& variants, const std::vector<Executor::Extension>& units,
               Plan exec, int64_t& next_id, RowSink& sink, std::string& error) {
  exec.first_id = next_id;
  const std::vector<WorkUnit> all = Executor::units_of(units, exec);
  next_id += static_cast<int64_t>(all.size());
  if (executor.extend(variants, units, exec, sink).stopped) return false;
  for (const WorkUnit& u : all) {
    if (sink.received.count(u.id)) continue;
    RunResult r;
    const std::string data = policy.store ? policy.store->unit_data(u.id) : std::string();
    // A unit is read back only when it is what this round asks for, whole.
    const auto whole = [&] {
      const auto j = nlohmann::json::parse(data, nullptr, false);
      return !j.is_discarded() && result_from_json(j, r) && r.arms.size() == 1 &&
             std::count(r.metric_names.begin(), r.metric_names.end(), "fatalities") == 1 &&
             r.replications == u.count &&
             r.rows.size() == static_cast<size_t>(u.count) * r.metric_names.size() &&
             policy.store->unit_matches(u.id, static_cast<int64_t>(u.variant), u.first);
    };
    if (data.empty() || !whole()) {
      error = "unit " + std::to_string(u.id) +
              (data.empty() ? " is missing from the results store"
                            : " is damaged in the results store");
      return false;
    }
    sink.accept(u, r);
  }
  return true;
}

Plan round_plan(const SelectPlan& plan, uint64_t seed, int64_t count) {
  Plan exec;
  exec.seed = seed;  // every package the same streams: common random numbers
  exec.replications = exec.batch = count;
  exec.threads = plan.settings.threads;
  exec.side_by_side = true;
  return exec;
}

// The packages run again on fresh streams (no selection replication used
// them): the selected one first, those within the zone of it (the closest
// kMaxNear), the frontiers', and those of the interaction table.
inline constexpr size_t kMaxNear = 31;

std::vector<size_t> fresh_packages(const SelectPlan& plan, const SelectOutcome& out) {
  std::vector<size_t> chosen = {out.selected};
  const auto add = [&](size_t p) {
    if (std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
  };
  const std::vector<size_t> near = within_zone(plan, out);
  for (size_t i = 0; i < near.size() && i < kMaxNear; ++i) add(near[i]);
  const SelectFrontiers f = select_frontiers(plan, out);
  for (size_t p : f.objective) add(p);
  for (size_t p : f.p95) add(p);
  for (const PairPackages& q : interaction_pairs(plan)) {
    add(0);  // the baseline
    add(q.a);
    add(q.b);
    add(q.pair);
  }
  return chosen;
}

void reestimate(Executor& executor, const ExecutionPolicy& policy, const SelectPlan& plan,
                int64_t& next_id, SelectOutcome& out) {
  const std::vector<size_t> chosen = fresh_packages(plan, out);
  out.fresh_seed = sim::hash_combine(plan.settings.seed, sim::name_key("select.reestimate"));
  std::vector<Executor::Extension> units;
  for (size_t p : chosen) units.push_back({p, 0, plan.spec.reestimate});
  RowSink sink(plan.packages.size(), 0, plan.spec.reestimate);
  if (!run_round(executor, policy, variants_of(plan, all_packages(plan)), units,
                 round_plan(plan, out.fresh_seed, plan.spec.reestimate), next_id, sink,
                 out.error)) {
    out.complete = false;
    return;
  }
  out.reestimated = chosen;
  for (size_t p : chosen) out.fresh.push_back({sink.values[p], sink.personnel_years[p]});
}

// The most replications the procedure may be asked to run: beyond, the run
// would not end in a working day, and the zone is likely in the wrong units.
inline constexpr double kMaxReplications = 1e8;

// After the first stage: whether the procedure's bound (the most it may
// still run) is within reach; else stops with `out.error`.
bool within_reach(const KimNelson& kn, const SelectSpec& spec, SelectOutcome& out) {
  if (kn.done()) return true;
  const double worst = static_cast<double>(kn.bound()) * static_cast<double>(kn.contenders());
  if (worst <= kMaxReplications) return true;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "the procedure may need up to %.3g replications: the indifference zone (%g %s) "
                "is small against how much the packages' paired differences vary; widen it "
                "(is it in the objective's units?) or compare fewer packages",
                worst, spec.indifference_zone,
                spec.objective == SelectObjective::kNetBenefit ? "USD a year" : "deaths");
  out.error = buf;
  out.complete = false;
  return false;
}

// After the first round: a rate per 1,000 personnel-years needs personnel.
bool usable(const SelectPlan& plan, const std::vector<size_t>& packages, SelectOutcome& out) {
  if (plan.spec.objective != SelectObjective::kFatalitiesPer1000py) return true;
  for (size_t p : packages)
    if (!(out.samples[p].personnel_years > 0)) {
      out.error = "package " + plan.packages[p].label +
                  " exposes no personnel-years: fatalities_per_1000py has no denominator";
      out.complete = false;
      return false;
    }
  return true;
}

}  // namespace

const PackageSample* SelectOutcome::fresh_of(size_t p) const {
  const auto at = std::find(reestimated.begin(), reestimated.end(), p);
  return at == reestimated.end() ? nullptr : &fresh[static_cast<size_t>(at - reestimated.begin())];
}

SelectFrontiers select_frontiers(const SelectPlan& plan, const SelectOutcome& o) {
  const double better = larger_is_better(plan.spec) ? 1.0 : -1.0;
  std::vector<double> cost, objective, p95;
  for (size_t p = 0; p < plan.packages.size(); ++p) {
    const PackageSample& s = o.samples[p];
    const size_t n = std::min(s.fatalities.size(), static_cast<size_t>(plan.spec.first_stage));
    IntHistogram h;
    for (size_t j = 0; j < n; ++j) h.add(s.fatalities[j]);
    const MetricSummary m = summarize(h);
    cost.push_back(plan.packages[p].cost_per_year_usd);
    objective.push_back(better * objective_value(plan, p, m.mean, s.personnel_years));
    p95.push_back(-m.p95);
  }
  return {pareto_front(cost, objective), pareto_front(cost, p95)};
}

std::vector<PairPackages> interaction_pairs(const SelectPlan& plan) {
  const auto find = [&](const std::vector<std::string>& options) -> std::optional<size_t> {
    for (size_t p = 0; p < plan.packages.size(); ++p)
      if (plan.packages[p].options == options) return p;
    return std::nullopt;
  };
  std::vector<PairPackages> out;
  for (size_t p = 0; p < plan.packages.size(); ++p) {
    const Package& pair = plan.packages[p];
    if (pair.options.size() != 2) continue;
    const auto a = find({pair.options[0]}), b = find({pair.options[1]});
    if (a && b) out.push_back({p, *a, *b});
  }
  return out;
}

std::map<std::string, std::string> select_identity(const LoadedScenario& ls,
                                                   const SelectPlan& plan) {
  return {{"command", "select"},
          {"scenario_sha256", ls.sha256},
          {"seed", std::to_string(plan.settings.seed)},
          {"batch", std::to_string(plan.settings.batch)},
          {"version", kVersion}};
}

std::vector<SweepPoint> select_points(const SelectPlan& plan) {
  std::vector<SweepPoint> points;
  for (size_t p = 0; p < plan.packages.size(); ++p)
    points.push_back({static_cast<int64_t>(p), plan.packages[p].overrides, {}});
  return points;
}

std::vector<double> advantage(const SelectPlan& plan, size_t a, const PackageSample& sa, size_t b,
                              const PackageSample& sb, size_t from, size_t to) {
  const double sign = larger_is_better(plan.spec) ? 1.0 : -1.0;
  std::vector<double> d;
  for (size_t j = from; j < to; ++j)
    d.push_back(
        sign *
        (objective_value(plan, a, static_cast<double>(sa.fatalities[j]), sa.personnel_years) -
         objective_value(plan, b, static_cast<double>(sb.fatalities[j]), sb.personnel_years)));
  return d;
}

bool larger_is_better(const SelectSpec& spec) {
  return spec.objective == SelectObjective::kNetBenefit;
}

double objective_value(const SelectPlan& plan, size_t package, double fatalities,
                       double personnel_years) {
  switch (plan.spec.objective) {
    case SelectObjective::kFatalities:
      return fatalities / plan.years;
    case SelectObjective::kFatalitiesPer1000py:
      return personnel_years > 0 ? fatalities * 1000 / personnel_years : 0.0;
    case SelectObjective::kNetBenefit:
      return -plan.spec.wtp_usd * fatalities / plan.years -
             plan.packages[package].cost_per_year_usd;
  }
  return 0;
}

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
  std::vector<std::vector<size_t>> choices;
  if (!each_choice(spec, choices)) {
    diags.error(spec.mark, "select.options",
                "more than 65,536 combinations of options and levels: offer fewer");
    return false;
  }
  ConflictCheck conflicts(ls, spec);
  bool clashes = false;
  for (const std::vector<size_t>& choice : choices) {
    Package p = package_of(ls, spec, choice);
    std::string why = rule_against(spec, p.arms);
    if (why.empty()) clashes |= !conflicts.check(choice, diags);
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
  if (clashes) return false;
  if (plan.packages.size() > kMaxScreened) {
    diags.error(spec.mark, "select",
                std::to_string(plan.packages.size()) + " packages to compare, more than " +
                    std::to_string(kMaxScreened) +
                    ": add rules, lower the budget or offer fewer options");
    return false;
  }
  // Every package must build (two arms' overrides may break a rule together).
  return check_variants(ls, variants_of(plan, all_packages(plan)), settings.threads, diags);
}

SelectOutcome run_select(const LoadedScenario& ls, const SelectPlan& plan,
                         const ExecutionPolicy& policy) {
  const size_t k = plan.packages.size();
  const SelectSpec& spec = plan.spec;
  ExecutionPolicy rows_policy = policy;
  rows_policy.keep_rows = true;
  Executor executor(ls, rows_policy);
  const std::vector<Variant> variants = variants_of(plan, all_packages(plan));
  SelectOutcome out;
  out.samples.resize(k);
  int64_t next_id = 0;
  // Replications [first, first + count) of `packages`, appended to their
  // samples (which thus hold replication j at position j).
  const auto run_reps = [&](const std::vector<size_t>& packages, int64_t first, int64_t count) {
    std::vector<Executor::Extension> units;
    for (size_t p : packages) units.push_back({p, first, count});
    RowSink sink(k, first, count);
    if (!run_round(executor, rows_policy, variants, units,
                   round_plan(plan, plan.settings.seed, count), next_id, sink, out.error))
      return out.complete = false;
    ++out.rounds;
    for (size_t p : packages) {
      PackageSample& s = out.samples[p];
      s.fatalities.insert(s.fatalities.end(), sink.values[p].begin(), sink.values[p].end());
      s.personnel_years = sink.personnel_years[p];
    }
    return true;
  };
  const double sign = larger_is_better(spec) ? 1.0 : -1.0;  // the procedures keep the largest
  const auto x = [&](size_t p, int64_t j) {
    const PackageSample& s = out.samples[p];
    return sign * objective_value(plan, p,
                                  static_cast<double>(s.fatalities[static_cast<size_t>(j)]),
                                  s.personnel_years);
  };

  std::vector<size_t> systems = all_packages(plan);
  int64_t start = 0;  // the first replication KN sees
  double confidence = spec.confidence;
  if (k > kMaxPackages) {
    // Too many for KN: screen on a first stage at half the error allowed,
    // then KN on the survivors, on replications of their own, at the other half.
    if (!run_reps(systems, 0, spec.first_stage)) return out;
    std::vector<std::vector<double>> first(k);
    for (size_t p = 0; p < k; ++p)
      for (int64_t j = 0; j < spec.first_stage; ++j) first[p].push_back(x(p, j));
    const double alpha = 1 - spec.confidence;
    systems = screen_to_the_best(first, spec.indifference_zone, alpha / 2);
    out.screened = true;
    if (systems.size() > kMaxPackages) {
      out.complete = false;
      out.error = std::to_string(systems.size()) + " packages survive screening, more than " +
                  std::to_string(kMaxPackages) +
                  " for the sequential stage: widen the indifference zone, add rules or lower "
                  "the budget";
      return out;
    }
    start = spec.first_stage;
    confidence = 1 - alpha / 2;
  }
  KimNelson kn(systems.size(), {.indifference_zone = spec.indifference_zone,
                                .confidence = confidence,
                                .first_stage = spec.first_stage});
  // One package alone is selected at once; its first stage still runs, so
  // that what it gives is shown.
  const bool alone = systems.size() == 1;
  for (int64_t r = 0; r == 0 || !kn.done();) {
    const int64_t round = r == 0 ? spec.first_stage : std::max<int64_t>(1, plan.settings.batch);
    std::vector<size_t> live;
    for (size_t i = 0; i < systems.size(); ++i)
      if (kn.contending(i)) live.push_back(systems[i]);
    if (!run_reps(live, start + r, round)) return out;
    if (r == 0 && !usable(plan, live, out)) return out;
    std::vector<double> xs(systems.size(), 0.0);
    for (int64_t j = 0; j < round && (alone || !kn.done()); ++j) {
      for (size_t i = 0; i < systems.size(); ++i)
        if (kn.contending(i)) xs[i] = x(systems[i], start + r + j);
      kn.observe(xs);
    }
    r += round;
    if (r == spec.first_stage && !within_reach(kn, spec, out)) return out;
  }
  out.selected = systems[kn.selected()];
  out.eta = kn.eta();
  out.h2 = kn.h2();
  out.replications.assign(k, spec.first_stage);  // those screened out: the screening stage
  out.contending.assign(k, false);
  for (size_t i = 0; i < systems.size(); ++i) {
    const size_t p = systems[i];
    out.replications[p] = alone ? static_cast<int64_t>(out.samples[p].fatalities.size())
                                : start + kn.replications_of(i);
    out.contending[p] = kn.contending(i);
  }
  out.survivors = systems.size();
  out.kn_start = start;
  reestimate(executor, rows_policy, plan, next_id, out);
  return out;
}

std::vector<size_t> within_zone(const SelectPlan& plan, const SelectOutcome& o) {
  const size_t s = o.selected;
  // KN's first stage: replications every package it compared received,
  // before any elimination could cut a package's run short at a bad moment.
  const int64_t n = plan.spec.first_stage, from = o.kn_start;
  struct Near {
    double gap;
    size_t package;
  };
  std::vector<Near> near;
  for (size_t p = 0; p < plan.packages.size(); ++p) {
    if (p == s || o.replications[p] < from + n) continue;  // screened out
    const std::vector<double> d =
        advantage(plan, s, o.samples[s], p, o.samples[p], static_cast<size_t>(from),
                  static_cast<size_t>(from + n));
    const double nn = static_cast<double>(n);
    const double mean = mean_of(d);
    const double lower =
        mean - critical_value(plan.spec.confidence, nn - 1, false) * std::sqrt(variance_of(d) / nn);
    if (lower <= plan.spec.indifference_zone) near.push_back({mean, p});
  }
  std::stable_sort(near.begin(), near.end(),
                   [](const Near& a, const Near& b) { return a.gap < b.gap; });
  std::vector<size_t> out;
  for (const Near& x : near) out.push_back(x.package);
  return out;
}

}  // namespace pk
