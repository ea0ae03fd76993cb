// The one list of causes of casualties (docs/model.md §2). Everything that
// names a cause — the by-cause metrics, the terminal table, `pkrisk trace`,
// the HTML report's charts and legends — reads it from here, so adding a
// cause is one declaration here plus its value in `Cause` (the Tally's index).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "scenario/scenario.hpp"

namespace pk {

struct CauseInfo {
  Cause cause;              // the index of its counts in Tally::by_cause
  const char* name;         // in metric names and JSON: "fatalities_by_cause.<name>"
  const char* label;        // for people: legends, tables
  const char* description;  // one line
  const char* colour;       // its colour in charts (Okabe–Ito)
};

// In `Cause` order: causes()[i].cause == Cause(i).
const std::array<CauseInfo, kCauseCount>& causes();

// The cause called `name`, or nullptr.
const CauseInfo* find_cause(std::string_view name);

// The label of the cause called `name`; the name itself when no cause has it
// (a result written by another version of pkrisk stays readable).
std::string cause_label(std::string_view name);

}  // namespace pk
