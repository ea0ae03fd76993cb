// How much a scenario's schedule exposes, before anything is simulated: the
// departures a movement makes and the km its vehicles drive (docs/model.md
// §8.12). `validate`'s first-order threats and an arm's running costs both
// read these, so they agree on what "a year of movements" is.
#pragma once

#include <vector>

#include "scenario/scenario.hpp"

namespace pk {

// Expected departures of a movement in [0, horizon): a periodic schedule's
// nominal times before the horizon (jitter and window aside), a Poisson
// schedule's rate x horizon; a class's `count` included (§8.12).
double expected_departures(const Movement& m, double horizon_hours);

// The vehicles of a departure in order of march: those of an escorting
// clearance team first, then the movement's (§2.1). Before anything is
// simulated every departure of a movement with route_clearance counts as
// escorted (a capacity of clearance_teams aside).
std::vector<VehicleGroup> column(const Movement& m);

// The share of a movement's column inside an ambush's kill zone (§2.3):
// min(1, kill_zone_m / (vehicles x spacing_m)), and 1 without either length.
double kill_zone_share(const AmbushThreat& a, const Movement& m);

// Expected vehicle-km per year that vehicles of type `vehicle_type` (an index
// into s.vehicle_types) drive on the movements' schedules: per movement,
// vehicles of the type x departures x route km (twice for a round trip), over
// the horizon in years.
double vehicle_km_per_year(const Scenario& s, int vehicle_type);

}  // namespace pk
