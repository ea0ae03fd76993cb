// The result object of `pkrisk run --format json` (a stable contract for
// scripts and CI gates, docs/model.md §6), the scenario overview it carries,
// and the arm comparisons and acceptance verdict of a RunResult, computed by
// stats/comparison.hpp and stats/acceptance.hpp from its plain numbers.
#pragma once

#include <nlohmann/json.hpp>

#include "experiment/runner.hpp"
#include "scenario/loader.hpp"
#include "stats/acceptance.hpp"
#include "stats/comparison.hpp"

namespace pk {

// The layout of the result objects below and of the sweep summary
// (docs/result.schema.json): `schema_version` in each. A summary without one
// was written before it existed (version 1: every metric twice, flat and
// nested at its first dot).
inline constexpr int kResultSchemaVersion = 2;

// Whether the wounded go through a care chain (docs/model.md §3.6): the
// results then carry 10-1-2.
bool has_care_chain(const Scenario& s);

// The scenario's horizon in mission-years (docs/model.md §8.1).
double horizon_years(const LoadedScenario& ls);

// `arm` against the baseline `base` of the same run.
Comparison compare(const ArmResult& arm, const ArmResult& base, double horizon_years);

// The scenario's acceptance gate on the run's baseline; unchecked when the
// scenario has none.
AcceptanceVerdict check_acceptance(const LoadedScenario& ls, const RunResult& r);

// What the scenario holds, in a few lines per part (sites, movements, zones and
// their threats, UAV, MEDEVAC, arms with their overrides), for reports.
nlohmann::json scenario_overview(const LoadedScenario& ls);

// The result object of `pkrisk run --format json`. No timestamps or host names:
// the same run gives the same bytes.
nlohmann::json result_json(const LoadedScenario& ls, const RunResult& r);

}  // namespace pk
