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

// Every option of `s`, zone by zone in the scenario's order, options in
// AttackOption order; empty without an `adversary:` block.
std::vector<AttackOptionRef> attack_options(const Scenario& s);

}  // namespace pk
