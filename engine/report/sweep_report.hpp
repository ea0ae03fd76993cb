// The HTML report of a `pkrisk sweep` summary: response curves of fatalities
// to each parameter, sensitivity (tornado charts and the table of every
// response metric) and every point.
#pragma once

#include <string>

#include "report/html_format.hpp"

namespace pk::html {

// `s`: the summary.json of `pkrisk sweep`, perhaps with "overview".
std::string sweep_report(const json& s);

}  // namespace pk::html
