// What a scenario implies before anything is simulated (`pkrisk validate`,
// docs/model.md §10): the events each threat of each zone should produce in a
// year, to first order, straight from the rates as written; the fatalities
// those events imply; and warnings for values that no UN mission resembles.
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace pk {

// One threat of one zone, per year of the horizon, first order: rates times
// exposure (route km, km driven, sites), scaled by the zone's intensity
// averaged over the horizon, BEFORE the mitigations that stop events
// (detection, jamming, UAV deterrence and observation, ambush warning), with
// the vehicles, crews, site protection and MEDEVAC as written.
struct ImpliedThreat {
  std::string zone;       // zone id
  std::string threat;     // ied, mines, ambush, ambushes[ID], idf, vbied
  double arrivals = 0;    // IEDs emplaced, mines laid on, ambushes, attacks on sites
  double stock = 0;       // mines: expected on the roads at t = 0 (not per year)
  bool devices = false;   // ied or mines: `met` applies
  double met = 0;         // devices met by a movement: every one a strike, before detection
  double fatalities = 0;  // KIA + DOW these events imply (DOW at the first time to care)
};

// A value that no UN mission resembles: the key path it is about and why.
struct ImplausibleValue {
  std::string path;
  std::string message;
};

// Malicious-act deaths of uniformed personnel per 1,000 personnel-years, one
// mission's mean over the years of data/un_fatalities.csv that
// docs/plausibility.md uses, over its strength there.
struct UnMissionRate {
  const char* mission;
  int first_year, last_year;
  double deaths;    // uniformed_malicious summed over the years
  double strength;  // uniformed personnel (docs/evidence.md, docs/plausibility.md)
  double per_1000py() const { return deaths * 1000 / (strength * (last_year - first_year + 1)); }
};

// The five missions of the shipped data; the band is their lowest and highest rate.
const std::vector<UnMissionRate>& un_mission_rates();
struct RateBand {
  double lo = 0, hi = 0;
};
RateBand un_fatality_band();

// A rate this many times above the band's top or below its bottom is "far outside" it.
inline constexpr double kFarOutsideBand = 10;
// More km of one route in one zone than any road across the largest mission
// areas (Mali, DR Congo: about 1,500–2,000 km from end to end).
inline constexpr double kMaxRouteKmInZone = 2000;

// Road accidents or illness in one zone, per year, first order: crashes at the
// rate per vehicle-km (its night factor averaged over the day) on the km driven
// in the zone, killing the crashed vehicle's crew with p_kill; cases among the
// personnel of the zone's sites, each fatal with case_fatality (before any
// evacuation).
struct ImpliedOtherCause {
  std::string zone;
  std::string cause;      // road_accidents or illness
  double events = 0;      // crashes or cases
  double fatalities = 0;  // KIA + DOW of crashes; deaths of illness
};

struct ScenarioImplications {
  std::vector<ImpliedThreat> threats;  // zones in order; in each, ied, mines, ambushes, idf, vbied
  std::vector<ImpliedOtherCause> other;  // zones in order; in each, road accidents, illness
  double fatalities_per_year = 0;        // sum over `threats`: malicious acts, as the band counts
  double other_fatalities_per_year = 0;  // sum over `other`
  double personnel_years_per_year = 0;   // personnel (the rate's denominator per year)
  double fatalities_per_1000py = 0;
  RateBand band;                           // un_fatality_band()
  std::vector<ImplausibleValue> warnings;  // in the order of the checks
};

// Deaths of wounds per wounded person at the first-order time to care: a
// helicopter dispatched at once (dispatch + flight hours), by ground with no
// helicopters, none without a MEDEVAC block (§3.3, §8.18); with a care chain,
// times the triage mix's mean relative risk (§3.6).
double first_order_dow(const Scenario& s);

ScenarioImplications scenario_implications(const Scenario& s);

}  // namespace pk
