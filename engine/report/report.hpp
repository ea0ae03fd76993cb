// Turns a RunResult into what users read: the JSON result (a stable contract,
// docs/model.md §6), the terminal table, and the acceptance verdict.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "experiment/runner.hpp"
#include "scenario/loader.hpp"
#include "stats/summary.hpp"

namespace pk {

// Arm-versus-baseline comparison on common random numbers.
struct Comparison {
  MetricSummary diff;           // paired fatalities(arm) - fatalities(baseline), per replication
  double rrr = 0;               // relative risk reduction, 1 - mean(arm) / mean(baseline)
  Interval rrr_ci95;            // from the paired difference's interval
  double averted_per_year = 0;  // fatalities averted per mission-year (= -diff / years)
  std::optional<double> cost_per_fatality_averted;  // cost / averted over the horizon
  double variance_reduction = 0;                    // independent-arms variance / paired variance
};

Comparison compare(const ArmResult& arm, const ArmResult& base, double horizon_years);

struct AcceptanceVerdict {
  bool checked = false;
  bool passed = true;
  double upper = 0;  // upper confidence bound of fatalities per 1,000 personnel-years
  double limit = 0;
  double confidence = 0;
  std::string reason;  // one line
};

AcceptanceVerdict check_acceptance(const LoadedScenario& ls, const RunResult& r);

// What the scenario holds, in a few lines per part (sites, movements, zones and
// their threats, UAV, MEDEVAC, arms with their overrides), for reports.
nlohmann::json scenario_overview(const LoadedScenario& ls);

// The result object of `pkrisk run --format json`. No timestamps or host names:
// the same run gives the same bytes.
nlohmann::json result_json(const LoadedScenario& ls, const RunResult& r);

// The terminal table.
std::string result_table(const LoadedScenario& ls, const RunResult& r);

// CSV: one row per arm and metric.
std::string result_csv(const LoadedScenario& ls, const RunResult& r);

}  // namespace pk
