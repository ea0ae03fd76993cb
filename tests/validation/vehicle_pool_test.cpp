// Vehicle pools (docs/model.md §3.5): a departure takes the pooled vehicles
// that are free, the rest of its group drives as the fallback type, and the
// vehicles come back when its trip ends.
#include <map>
#include <string>

#include "worlds.hpp"

namespace pk::validation {
namespace {

// quiet_world with a protected vehicle type (ambush exposure 0) and its
// fallback (exposure 1), `ambush` on the road, and a pool of `vehicles`
// protected ones.
Scenario pool_world(double days, double route_km, const AmbushThreat& ambush, int64_t vehicles) {
  Scenario s = quiet_world(days, route_km);
  s.vehicle_types = {
      VehicleType{.id = "protected", .seats = 4, .blast = {0, 0}, .ambush_exposure = 0},
      VehicleType{.id = "soft", .seats = 4, .blast = {0, 0}, .ambush_exposure = 1}};
  s.zones[0].ambush = ambush;
  s.vehicle_pools = {
      VehiclePool{.id = "pool", .type = 0, .vehicles = vehicles, .fallback_type = 1}};
  return s;
}

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
  Scenario s = pool_world(
      100, 600, AmbushThreat{.per_km = per_km, .p_hit = p_hit, .p_kill_given_hit = p_kill}, 1);
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

// Departures that left short, by movement, from the trace.
struct ShortRecorder : TraceSink {
  std::map<std::string, int64_t> short_by_movement;
  void record(const TraceEvent& e) override {
    if (e.kind != "pool_short") return;
    ++short_by_movement[e.detail.substr(9, e.detail.find(' ', 9) - 9)];  // "movement <id> ..."
  }
};

// Priority (§3.5). A pool of two protected vehicles (ambush exposure 0; the
// fallback 1) on a 200 km route. B (one vehicle, crew 2) leaves daily at 00:00
// at 25 km/h and is back at 08:00; A (two vehicles, crew 3) leaves daily at
// 06:00 at 50 km/h. First come, first served, B takes one and A finds one:
// A leaves short every day, with one fallback vehicle. With A first (B's
// priority 2), B keeps for A its count times the departures A is expected to
// make during B's 8 hours, ⌈8 / 24⌉ = 1: 2 vehicles, so B takes none and A
// both. Ambushes at per_km per km kill only the fallback's crew, so
//   first come, first served: E[KIA] = per_km × 200 × 365 × p_hit × p_kill × 3,
//   A first:                  E[KIA] = per_km × 200 × 365 × p_hit × p_kill × 2.
TEST(VehiclePool, PriorityKeepsVehiclesForTheFirst) {
  const double per_km = 0.4 / 1000, p_hit = 0.5, p_kill = 0.4;
  const auto world = [&](int64_t priority_b) {
    Scenario s = pool_world(
        365, 200, AmbushThreat{.per_km = per_km, .p_hit = p_hit, .p_kill_given_hit = p_kill}, 2);
    Movement a = periodic_movement(0, 24, 6, 50);
    a.id = "a";
    a.vehicles = {VehicleGroup{.type = 0, .count = 2, .crew = 3, .pool = 0}};
    Movement b = periodic_movement(0, 24, 0, 25);
    b.id = "b";
    b.vehicles = {
        VehicleGroup{.type = 0, .count = 1, .crew = 2, .pool = 0, .priority = priority_b}};
    s.movements = {a, b};
    return s;
  };
  const auto shorts = [&](int64_t priority_b) {
    const Scenario s = world(priority_b);
    Simulator sim(s);
    ShortRecorder rec;
    for (uint64_t i = 0; i < 3; ++i) {
      Tally t;
      sim.run(20261230, i, t, &rec);
    }
    return rec.short_by_movement;
  };
  const auto kia = [](const Tally& t) { return t.by_cause[kAmbush].n[kKia]; };
  const double per_crew = per_km * 200 * 365 * p_hit * p_kill;

  const auto fcfs = shorts(1);
  EXPECT_EQ(fcfs.at("a"), 3 * 365);
  EXPECT_EQ(fcfs.count("b"), 0u);
  expect_mean("KIA (first come, first served)",
              moments_of(run_replications(world(1), 20261231, 3000), kia), per_crew * 3);

  const auto kept = shorts(2);
  EXPECT_EQ(kept.at("b"), 3 * 365);
  EXPECT_EQ(kept.count("a"), 0u);
  expect_mean("KIA (A first)", moments_of(run_replications(world(2), 20261231, 3000), kia),
              per_crew * 2);
}

// Equal priorities are first come, first served: the same histories, draw for
// draw, whatever the common number.
TEST(VehiclePool, EqualPrioritiesChangeNothing) {
  Scenario s =
      pool_world(100, 600, AmbushThreat{.per_km = 0.001, .p_hit = 0.5, .p_kill_given_hit = 0.4}, 1);
  Movement a = periodic_movement(0, 24, 0, 20);
  a.vehicles = {VehicleGroup{.type = 0, .count = 1, .crew = 3, .pool = 0}};
  Movement b = poisson_movement(0, 1.0, 30);
  b.vehicles = {VehicleGroup{.type = 0, .count = 1, .crew = 3, .pool = 0}};
  s.movements = {a, b};
  const auto before = run_replications(s, 20261232, 300);
  s.movements[0].vehicles[0].priority = 7;
  s.movements[1].vehicles[0].priority = 7;
  const auto after = run_replications(s, 20261232, 300);
  for (size_t i = 0; i < before.size(); ++i) {
    ASSERT_EQ(before[i].by_cause[kAmbush].n[kKia], after[i].by_cause[kAmbush].n[kKia]) << i;
    ASSERT_EQ(before[i].by_cause[kAmbush].n[kWia], after[i].by_cause[kAmbush].n[kWia]) << i;
  }
}

}  // namespace
}  // namespace pk::validation
