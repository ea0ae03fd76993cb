// Turns a RunResult into what users read at a terminal: the table and the
// CSV. The JSON result, comparisons and the acceptance verdict are in
// experiment/result_json.hpp (included here for the commands that print all).
#pragma once

#include <string>

#include "experiment/result_json.hpp"
#include "experiment/runner.hpp"
#include "scenario/loader.hpp"

namespace pk {

// The terminal table.
std::string result_table(const LoadedScenario& ls, const RunResult& r);

// An arm's cost in words, on its basis and per year of mission, with the
// parts of an equivalent annual cost: "1,396,000 USD/yr equivalent annual
// (capital 9,800,000 over 8 yr at 3%: 1,361,000/yr; O&M 35,000/yr); paid by
// contributor". `years`: the horizon in years.
std::string cost_words(const ArmCost& c, double years);

// CSV: one row per arm and metric.
std::string result_csv(const LoadedScenario& ls, const RunResult& r);

}  // namespace pk
