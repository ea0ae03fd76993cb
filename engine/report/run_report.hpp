// The HTML report of a `pkrisk run` result: key findings, the fatalities of
// each arm with their distribution, what each mitigation buys, and where the
// fatalities come from (by cause, by movement and site).
#pragma once

#include <string>

#include "report/html_format.hpp"

namespace pk::html {

// `s`: the result object of `pkrisk run` (result_json), perhaps with "overview".
std::string run_report(const json& s);

}  // namespace pk::html
