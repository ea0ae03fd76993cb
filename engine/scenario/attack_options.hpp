// The options an adaptive adversary spreads its attacks over (docs/model.md
// §2.9): in each zone, its IEDs by trigger, its ambushes, its indirect fire
// and its VBIEDs — those the zone has a block for. One list, read by the
// simulator's tables (where each option's counts go), the metric registry
// (adversary.<zone>.<option>.*) and the adversary's answer.
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace pk {

struct AttackOptionRef {
  int zone = 0;
  AttackOption option = AttackOption::kIedPressure;
};

// "ied_pressure", "ied_command", "ied_radio", "ambush", "idf", "vbied".
const char* attack_option_name(AttackOption o);

// The threat (Cause) an option belongs to.
Cause attack_option_cause(AttackOption o);

// Length of a month of Tally::malicious_by_month: 365/12 days, in hours.
inline constexpr double kMonthHours = kDaysPerYear * kHoursPerDay / 12;
inline constexpr size_t kMaxMonths = 120;

// How many months of malicious fatalities `s` counts (§2.9): with an
// adversary block and a horizon over 90 days, one per month up to
// kMaxMonths (the last holds the rest of the horizon); 0 otherwise.
size_t monthly_fatality_count(const Scenario& s);

// Every option of `s`, zone by zone in the scenario's order, options in
// AttackOption order; empty without an `adversary:` block.
std::vector<AttackOptionRef> attack_options(const Scenario& s);

}  // namespace pk
