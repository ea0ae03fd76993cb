// The HTML page of a `pkrisk select` result (docs/select.md): the selected
// package with its fresh-seed estimate and guarantee, the cost frontiers, how
// long each package stayed in contention, how pairs of options interact, and
// every package, each chart with its numbers.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pk {

// `result` as `pkrisk select --format json` prints it (select_json: the key
// "select"); an interrupted run (nothing selected) gives a page too.
std::string select_html(const nlohmann::json& result, const std::string& scenario_name);

}  // namespace pk
