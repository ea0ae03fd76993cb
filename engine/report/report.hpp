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

// CSV: one row per arm and metric.
std::string result_csv(const LoadedScenario& ls, const RunResult& r);

}  // namespace pk
