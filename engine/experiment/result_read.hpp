// Reading a result object back (`pkrisk run --format json`, a run's or a
// sweep's summary.json): its schema version, an estimate with its interval at
// the precision it supports, and an arm's verdict. For the commands and
// reports that work from a stored summary.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "stats/comparison.hpp"
#include "stats/rounding.hpp"

namespace pk {

// "" when this pkrisk reads the layout of `summary` (schema_version 1, i.e.
// none, up to kResultSchemaVersion); otherwise why not, naming the version.
std::string check_result_schema_version(const nlohmann::json& summary);

// An interval [lo, hi] of a result (an end `null` or absent: infinite).
Interval interval_of(const nlohmann::json& ci);

// `o[key]` (default "mean") with the interval `o["ci95"]`, both times `scale`,
// rounded by the interval (stats/rounding.hpp).
RoundedEstimate rounded(const nlohmann::json& o, double scale = 1, const char* key = "mean");

// The verdict of a non-baseline arm's `vs_baseline`: as written, or for a
// summary written before verdicts (schema_version 1), classified here from
// the interval of its paired change and the arm's cost.
Verdict verdict_of(const nlohmann::json& vs_baseline, double cost_usd);

}  // namespace pk
