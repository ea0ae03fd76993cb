// The HTML report: one self-contained file (no network, no scripts, no web
// fonts) with inline SVG charts and, beneath each chart, its numbers as a
// table. Colours from the Okabe–Ito palette (colour-blind safe); prints on A4.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pk {

// `summary` is either the result of `pkrisk run` (result_json: has "arms") or
// the summary of `pkrisk sweep` (has "points"). A key "overview" (from
// scenario_overview) adds what the scenario holds to the header.
std::string html_report(const nlohmann::json& summary);

}  // namespace pk
