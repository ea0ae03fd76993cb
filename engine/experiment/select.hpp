// `pkrisk select`: the best package of the scenario's arms under a budget,
// with a guarantee (docs/select.md). Every package the `select:` block allows
// is a variant of the scenario (its arms' overrides applied together, the
// baseline arm only); the packages run through the executor in rounds, with
// common random numbers (the streams of (seed, replication), the same for
// every package), and the procedure KN (stats/ranking.hpp) drops the ones
// that cannot be best until one is left. The selected package and those that
// may be within the indifference zone of it are then run again on fresh
// streams, so that the numbers printed for them carry no winner's curse.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/design.hpp"
#include "experiment/executor.hpp"
#include "scenario/selection.hpp"

namespace pk {

struct SelectSettings {
  uint64_t seed = 1;
  int threads = 1;
  int64_t batch = 10;  // replications of every contender per round after the first stage
};

// A set of options applied together, each at one of its levels.
struct Package {
  std::vector<std::string> arms;     // in the options' order; empty: the baseline
  std::vector<std::string> options;  // "arm", or "arm=value" at a level
  std::string label;                 // "baseline" or "a + b=8"
  double cost_per_year_usd = 0;      // its arms' (Arm::per_year_cost_usd) or levels' costs
  std::vector<PointOverride> overrides;
};

// The most packages KN compares (it keeps a variance for every pair and
// screens every pair at each replication); more, up to kMaxScreened, are
// first screened (stats/ranking.hpp: screen_to_the_best).
inline constexpr size_t kMaxPackages = 1024;
inline constexpr size_t kMaxScreened = 8192;

struct SelectPlan {
  SelectSpec spec;
  SelectSettings settings;
  std::vector<Package> packages;  // allowed and within the budget, the baseline first
  struct LeftOut {
    std::string label, reason;
  };
  std::vector<LeftOut> left_out;  // packages a rule or the budget excludes
  double years = 1;               // the horizon, in years
};

// Every package the block allows; two options that set one path differently
// are an error unless a rule keeps them apart. False with diagnostics.
bool plan_select(const LoadedScenario& ls, const SelectSettings& settings, SelectPlan& plan,
                 Diagnostics& diags);

// What one package's replications gave, in order: fatalities over the
// horizon by replication, and the personnel-years it exposes.
struct PackageSample {
  std::vector<int64_t> fatalities;
  double personnel_years = 0;
};

struct SelectOutcome {
  bool complete = true;  // false when a stop request (or `error`) ended it
  std::string error;     // a unit missing or damaged in the results store
  size_t selected = 0;   // index into plan.packages
  // By package: the replications the procedure used (before it was dropped,
  // or in all); samples may hold a few more (the rest of the round).
  std::vector<int64_t> replications;
  std::vector<PackageSample> samples;
  std::vector<bool> contending;  // still in contention at the end
  int64_t rounds = 0;
  bool screened = false;   // a screening stage ran first (more than kMaxPackages)
  size_t survivors = 0;    // packages the sequential stage compared
  int64_t kn_start = 0;    // the first replication of KN's first stage (n0 after screening)
  double eta = 0, h2 = 0;  // the procedure's constants
  // The fresh-seed run: packages (the selected first) and their samples.
  std::vector<size_t> reestimated;
  std::vector<PackageSample> fresh;
  uint64_t fresh_seed = 0;
  // Where package p's fresh sample is, if it has one.
  const PackageSample* fresh_of(size_t p) const;
};

// The Pareto frontiers of cost per year against the objective and against
// the 95th percentile of deaths a mission-year, drawn on the first stage:
// the replications every package received, with common random numbers.
// Package indices by increasing cost.
struct SelectFrontiers {
  std::vector<size_t> objective, p95;
};
SelectFrontiers select_frontiers(const SelectPlan& plan, const SelectOutcome& outcome);

// The packages whose pairwise interactions are shown: those with exactly two
// options whose singles are allowed too, as {pair, first single, second single}.
struct PairPackages {
  size_t pair, a, b;
};
std::vector<PairPackages> interaction_pairs(const SelectPlan& plan);

// The identity of a select run's results store: what must match for a
// resume (the scenario, the seed, the round size: unit ids follow rounds).
std::map<std::string, std::string> select_identity(const LoadedScenario& ls,
                                                   const SelectPlan& plan);

// The packages as a results store keeps its points (index, overrides).
std::vector<SweepPoint> select_points(const SelectPlan& plan);

// Runs the procedure, then the fresh-seed re-estimate of the selected
// package, those within the zone of it (the closest 31), the frontiers'
// packages, and the baseline, singles and pairs of the interaction table;
// `policy` as for any executor run (threads, a stop, a results store: every
// unit is kept there, and a resumed run reads the kept ones back and replays
// the same decisions).
SelectOutcome run_select(const LoadedScenario& ls, const SelectPlan& plan,
                         const ExecutionPolicy& policy);

// A package's objective for one replication with `fatalities` deaths, in the
// objective's units (deaths per mission-year or per 1,000 personnel-years,
// USD per mission-year).
double objective_value(const SelectPlan& plan, size_t package, double fatalities,
                       double personnel_years);

// Whether a larger objective is better (net benefit) or a smaller (deaths).
bool larger_is_better(const SelectSpec& spec);

// How much better package a did than package b at each replication [from,
// to) of their samples (common random numbers), in the objective's units.
std::vector<double> advantage(const SelectPlan& plan, size_t a, const PackageSample& sa, size_t b,
                              const PackageSample& sb, size_t from, size_t to);

// The packages that may be within the indifference zone of the selected one:
// those whose paired difference from it, over KN's first stage (replications
// all its packages received, before any elimination), has a one-sided lower
// confidence bound (at the block's confidence) within the zone. The selected
// one is not listed; those screened out are not.
std::vector<size_t> within_zone(const SelectPlan& plan, const SelectOutcome& outcome);

// {"select": {"best": [...], "within_delta": [...], "frontier": [...], ...}}.
nlohmann::json select_json(const SelectPlan& plan, const SelectOutcome& outcome);

// The packages a plan compares (label, options, cost) and those left out with
// the reason, before anything runs: {"select_plan": {...}}, and its table.
nlohmann::json select_plan_json(const SelectPlan& plan);
std::string select_plan_table(const nlohmann::json& result);

// A terminal table, and CSV rows (one per package), of select_json.
std::string select_table(const nlohmann::json& result);
std::string select_csv(const nlohmann::json& result);

}  // namespace pk
