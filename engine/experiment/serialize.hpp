// A RunResult as JSON, exactly: histograms as (value, count) pairs and sums as
// round-trip doubles, so a result stored by one process (a shard, an MPI rank,
// a resumed run) merges into exactly what one process would have computed.
#pragma once

#include <nlohmann/json.hpp>

#include "experiment/runner.hpp"

namespace pk {

nlohmann::json result_to_json(const RunResult& r);

// A stored result as a RunResult of its own (arm names, costs and metrics
// from the JSON). False when the JSON is not a stored result.
bool result_from_json(const nlohmann::json& j, RunResult& out);

// Merges a stored result into `into` (same arms and metrics) with
// merge_results. Returns false when the shapes disagree.
bool merge_result_json(const nlohmann::json& j, RunResult& into);

}  // namespace pk
