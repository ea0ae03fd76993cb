// How much a scenario's schedule exposes, before anything is simulated: the
// departures a movement makes and the km its vehicles drive (docs/model.md
// §8.12). `validate`'s first-order threats and an arm's running costs both
// read these, so they agree on what "a year of movements" is.
#pragma once

#include "scenario/scenario.hpp"

namespace pk {

// Expected departures of a movement in [0, horizon).
double expected_departures(const Movement& m, double horizon_hours);

// The share of a movement's vehicles inside an ambush's kill zone (§2.3):
// min(1, kill_zone_m / (vehicles x spacing_m)), and 1 without either length.
double kill_zone_share(const AmbushThreat& a, const Movement& m);

// Expected vehicle-km per year that vehicles of type `vehicle_type` (an index
// into s.vehicle_types) drive on the movements' schedules: per movement,
// vehicles of the type x departures x route km (twice for a round trip), over
// the horizon in years.
double vehicle_km_per_year(const Scenario& s, int vehicle_type);

}  // namespace pk
