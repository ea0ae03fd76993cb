// Sweep points that sit on the edge of a range where a mitigation does
// nothing (a detection probability of 0, no aircraft, an exposure factor of
// 1): in a sweep of several parameters, the parameters that act through that
// mitigation have no effect at those points, which dilutes their sensitivity
// indices and flattens their response curves. Said once per sweep, on stderr
// and in summary.json and manifest.json ("inert_edges", docs/model.md §5.6).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pk {

struct SweepPlan;
struct SweepSpec;

// The value at which the mitigation a key path sets is inert, and what it
// is; false for keys that are not a mitigation's. Selectors are ignored:
// movements[*].jammer.p_defeat and movements[supply].jammer.p_defeat are the
// same key.
bool inert_value(const std::string& path, double& value, std::string& mitigation);

// For a sweep of two or more parameters: one entry per parameter some of
// whose points take its inert value, {parameter, value, mitigation, points:
// [indices]}, in parameter order. Empty otherwise.
nlohmann::json inert_edges(const SweepSpec& sweep, const SweepPlan& plan);

// The warning for `edges` (inert_edges), one line per parameter; "" when none.
std::string inert_edges_warning(const nlohmann::json& edges, size_t points);

}  // namespace pk
