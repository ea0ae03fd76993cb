// Vehicle pools (docs/model.md §3.5): a departure takes the pooled vehicles
// that are free, the rest of its group drives as the fallback type, and the
// vehicles come back when its trip ends.
#include "worlds.hpp"

namespace pk::validation {
namespace {

// Derivation. One movement leaves every 24 h on a 600 km route at 20 km/h:
// each trip takes 30 h, so departure d + 1 leaves while d is on the road. With
// a pool of one protected vehicle (ambush exposure 0), departure 0 takes it,
// 1 finds none and drives the fallback (exposure 1), 2 finds it back (trip 0
// ended at 30 h), and so on: of the 100 departures, the 50 odd ones drive the
// fallback. The horizon (100 days) cuts the last one, departure 99, after 24 h
// and 480 km. Ambushes arrive at per_km per km driven (no halts), so
//   E[KIA] = per_km × (49 × 600 + 480) × p_hit × p_kill × crew,
// and with two vehicles in the pool every departure is protected: KIA = 0.
TEST(VehiclePool, ADepartureTakesWhatIsFreeAndTheRestDrivesTheFallback) {
  const double per_km = 0.4 / 1000, p_hit = 0.5, p_kill = 0.4;
  const int crew = 3;
  Scenario s = quiet_world(100, 600);
  s.vehicle_types = {
      VehicleType{.id = "protected", .seats = 4, .blast = {0, 0}, .ambush_exposure = 0},
      VehicleType{.id = "soft", .seats = 4, .blast = {0, 0}, .ambush_exposure = 1}};
  s.zones[0].ambush = AmbushThreat{.per_km = per_km, .p_hit = p_hit, .p_kill_given_hit = p_kill};
  s.vehicle_pools = {VehiclePool{.id = "pool", .type = 0, .vehicles = 1, .fallback_type = 1}};
  Movement m = periodic_movement(0, 24, 0, 20);
  m.vehicles = {VehicleGroup{.type = 0, .count = 1, .crew = crew, .pool = 0}};
  s.movements = {m};
  const auto reps = run_replications(s, 20261216, 3000);
  for (const Tally& t : reps) ASSERT_EQ(t.departures, 100);
  expect_mean("KIA (one pooled vehicle, overlapping trips)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kKia]; }),
              per_km * (49 * 600 + 480) * p_hit * p_kill * crew);

  s.vehicle_pools[0].vehicles = 2;
  for (const Tally& t : run_replications(s, 20261216, 200))
    ASSERT_EQ(t.by_cause[kAmbush].n[kKia] + t.by_cause[kAmbush].n[kWia], 0);
}

}  // namespace
}  // namespace pk::validation
