#include "scenario/attack_options.hpp"

#include <algorithm>
#include <cmath>

namespace pk {

const char* attack_option_name(AttackOption o) {
  static const char* const kNames[kAttackOptionCount] = {"ied_pressure", "ied_command", "ied_radio",
                                                         "ambush",       "idf",         "vbied"};
  return kNames[static_cast<int>(o)];
}

Cause attack_option_cause(AttackOption o) {
  switch (o) {
    case AttackOption::kAmbush:
      return Cause::kAmbush;
    case AttackOption::kIdf:
      return Cause::kIdf;
    case AttackOption::kVbied:
      return Cause::kVbied;
    default:
      return Cause::kIed;
  }
}

size_t monthly_fatality_count(const Scenario& s) {
  if (!s.adversary || !(s.horizon_hours > 90 * kHoursPerDay)) return 0;
  const auto months = static_cast<size_t>(std::ceil(s.horizon_hours / kMonthHours - 1e-9));
  return std::min(months, kMaxMonths);
}

std::vector<AttackOptionRef> attack_options(const Scenario& s) {
  std::vector<AttackOptionRef> out;
  if (!s.adversary) return out;
  for (size_t z = 0; z < s.zones.size(); ++z) {
    const Zone& zone = s.zones[z];
    const auto add = [&](AttackOption o) { out.push_back({static_cast<int>(z), o}); };
    // Every trigger of a zone with IEDs, so that effort can move to one the
    // baseline's mix leaves at 0 only if an arm's mix has it (shares follow the baseline's).
    if (zone.ied)
      for (AttackOption o :
           {AttackOption::kIedPressure, AttackOption::kIedCommand, AttackOption::kIedRadio})
        add(o);
    if (zone.ambush || !zone.ambushes.empty()) add(AttackOption::kAmbush);
    if (zone.idf) add(AttackOption::kIdf);
    if (zone.vbied) add(AttackOption::kVbied);
  }
  return out;
}

}  // namespace pk
