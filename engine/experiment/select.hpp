// `pkrisk select`: the best package of the scenario's arms under a budget,
// with a guarantee (docs/select.md). Every package the `select:` block allows
// is a variant of the scenario (its arms' overrides applied together, the
// baseline arm only); the packages run through the executor in rounds, with
// common random numbers (the streams of (seed, replication), the same for
// every package), and the procedure KN (stats/ranking.hpp) drops the ones
// that cannot be best until one is left.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/executor.hpp"
#include "scenario/selection.hpp"

namespace pk {

struct SelectSettings {
  uint64_t seed = 1;
  int threads = 1;
  int64_t batch = 10;  // replications of every contender per round after the first stage
};

// A set of options applied together.
struct Package {
  std::vector<std::string> arms;  // in the options' order; empty: the baseline
  std::string label;              // "baseline" or "a + b"
  double cost_per_year_usd = 0;   // the sum of its arms' (Arm::per_year_cost_usd)
  std::vector<PointOverride> overrides;
};

// The most packages one run compares: the procedure keeps a variance for
// every pair and screens every pair at each replication.
inline constexpr size_t kMaxPackages = 1024;

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

struct SelectOutcome {
  bool complete = true;               // false when a stop request ended it
  size_t selected = 0;                // index into plan.packages
  std::vector<int64_t> replications;  // by package: before it was dropped, or in all
  std::vector<double> objective;      // by package: mean per mission-year over those
  std::vector<double> fatalities;     // by package: mean per mission-year
  std::vector<bool> contending;       // still in contention at the end
  double eta = 0, h2 = 0;             // the procedure's constants
};

// Runs the procedure; `policy` as for any executor run (threads, a stop).
SelectOutcome run_select(const LoadedScenario& ls, const SelectPlan& plan,
                         const ExecutionPolicy& policy);

// {"select": {"selected": ..., "packages": [...], "left_out": [...], ...}}.
nlohmann::json select_json(const SelectPlan& plan, const SelectOutcome& outcome);

// A terminal table of select_json.
std::string select_table(const nlohmann::json& result);

}  // namespace pk
