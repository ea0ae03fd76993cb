// The HTML page of `pkrisk decide --report FILE` (docs/decide.md): the
// probability each arm is best, the cost-effectiveness plane of the draws,
// the acceptability curves and the EVPPI tornado, each with its numbers.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "experiment/decide.hpp"

namespace pk {

// `result` from decide_json, `sample` the draws it was computed from.
std::string decide_html(const nlohmann::json& result, const DecideSample& sample,
                        const std::string& scenario_name);

}  // namespace pk
