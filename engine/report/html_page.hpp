// What every HTML report page shares: the scenario overview, the provenance
// table, and the page itself (styles, footer).
#pragma once

#include <string>

#include "report/html_format.hpp"

namespace pk::html {

// "What the scenario holds" from a scenario_overview() object ("" if absent).
std::string overview_html(const json& o);

// Version, scenario, seed, replications (and design for a sweep, acceptance
// when checked); `kind` is "run" or "sweep".
std::string provenance(const json& s, const std::string& kind);

// A whole self-contained HTML page around `body`.
std::string page(const std::string& title, const std::string& body);

}  // namespace pk::html
