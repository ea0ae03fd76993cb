// Ambushes as a Poisson process in distance, thinned by intensity windows,
// and their pre-emption by UAV overwatch (docs/model.md §2.3, §3.2, §8.2, §8.11).
#include "worlds.hpp"

namespace pk::validation {
namespace {

// The world: one 200 km route in one zone; one movement departs every 24 h at
// 01:00 (no jitter) at 20 km/h, so each trip runs 01:00–11:00 of its day,
// plus 1 h for each ambush halt. Horizon 50 days: 50 departures, the last at
// 1177 h, done by 1187 h < 1200 h unless it has 13 or more ambushes.
// Intensity windows on day boundaries: days [10, 20) × 3, [30, 40) × 0.5, factor 1 elsewhere.
//
// Derivation. Ambushes arrive at r · intensity(t) per km travelled while
// moving (§2.3, §8.11: none during halts). Every trip lies inside one day, so
// inside one window, and the km travelled in each window are exact:
// 10 trips × 200 km = 2000 km per 10-day block, so
//   E[attacks] = r · 2000 · (1 + 3 + 1 + 0.5 + 1) = r · 13000,
// and the count is Poisson (a sum over disjoint stretches of a Poisson
// process in distance), so Var[attacks] = E[attacks]. A trip would leave its
// day only with ≥ 14 ambushes in one trip (14 h of halts): P < 5e-11 per trip
// even in the × 3 window (mean 1.2 per trip), and the last trip would be cut
// by the horizon only with ≥ 13 (mean 0.4: P < 1e-15), so over the 4000 × 50
// trips here both are negligible and movement_km is exactly 50 × 200 km.
// (With 2 h halts it took only 7 ambushes, P ≈ 2.5e-4 per trip in the × 3
// window: not negligible.)
// Each ambush not pre-empted hits each occupant of a vehicle of type V with
// p_hit · V.exposure; a hit is killed with p_kill_given_hit, else wounded
// (no MEDEVAC block: all wounded are WIA, §8.18). Vehicles: 2 trucks × 4
// crew, exposure 1; 1 protected vehicle × 3 crew, exposure 0.5:
//   Σ occupants × exposure = 8 + 1.5 = 9.5,
//   E[KIA] = E[attacks not pre-empted] · p_hit · 9.5 · p_kill_given_hit,
//   E[WIA] = E[attacks not pre-empted] · p_hit · 9.5 · (1 − p_kill_given_hit).
constexpr double kRouteKm = 200, kSpeed = 20, kHorizonDays = 50;
constexpr double kPerKm = 2.0 / 1000;  // per_1000km: 2
constexpr double kPHit = 0.3, kPKill = 0.25;
constexpr double kExposedOccupants = 2 * 4 * 1.0 + 1 * 3 * 0.5;
constexpr double kWindowedKm = 2000 * (1 + 3 + 1 + 0.5 + 1);

Scenario ambush_world() {
  Scenario s = quiet_world(kHorizonDays, kRouteKm);
  s.vehicle_types.push_back(
      VehicleType{.id = "protected", .seats = 4, .blast = {0, 0}, .ambush_exposure = 0.5});
  s.zones[0].ambush = AmbushThreat{
      .per_km = kPerKm, .p_hit = kPHit, .p_kill_given_hit = kPKill, .halted_factor = 1};
  s.zones[0].intensity = {window_days(10, 20, 3), window_days(30, 40, 0.5)};
  Movement m = periodic_movement(0, 24, 1, kSpeed);
  m.vehicles = {VehicleGroup{.type = 0, .count = 2, .crew = 4},
                VehicleGroup{.type = 1, .count = 1, .crew = 3}};
  m.halt_hours = 1;
  s.movements = {m};
  return s;
}

TEST(Ambush, PoissonInDistanceAcrossIntensityWindows) {
  const Scenario s = ambush_world();
  const auto reps = run_replications(s, 777001, 4000);

  const double attacks = kPerKm * kWindowedKm;
  const auto a = moments_of(reps, [](const Tally& t) { return t.ambush_attacks; });
  expect_mean("ambush.attacks", a, attacks);
  expect_variance("ambush.attacks", a, attacks);
  expect_mean("ambush KIA",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kKia]; }),
              attacks * kPHit * kExposedOccupants * kPKill);
  expect_mean("ambush WIA",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kWia]; }),
              attacks * kPHit * kExposedOccupants * (1 - kPKill));
  for (const auto& t : reps) {
    ASSERT_EQ(t.ambush_preempted, 0);
    ASSERT_EQ(t.departures, 50);
    ASSERT_NEAR(t.movement_km, 50 * kRouteKm, 1e-6);
    ASSERT_EQ(t.by_movement[0].n, t.by_cause[kAmbush].n);
  }
}

// Overwatch: 2 aircraft, availability 1, no grounding; trips never overlap,
// so every departure gets an aircraft (§3.2, §8.15) and each ambush is
// pre-empted with p_warn, independently of its arrival:
//   E[preempted] = p_warn · E[attacks],
//   E[KIA] = (1 − p_warn) · E[attacks] · p_hit · 9.5 · p_kill_given_hit.
// A pre-empted ambush does not halt (§8.11), which changes no km here.
TEST(Ambush, OverwatchPreemptsWithPWarn) {
  const double p_warn = 0.4;
  Scenario s = ambush_world();
  s.uav = Uav{.aircraft = 2,
              .availability = 1,
              .weather_grounding = 0,
              .overwatch = UavOverwatch{.p_detect_ied = 0, .p_warn = p_warn},
              .area = std::nullopt};
  const auto reps = run_replications(s, 777002, 4000);

  const double attacks = kPerKm * kWindowedKm;
  expect_mean("ambush.attacks (overwatch)",
              moments_of(reps, [](const Tally& t) { return t.ambush_attacks; }), attacks);
  expect_mean("ambush.preempted",
              moments_of(reps, [](const Tally& t) { return t.ambush_preempted; }),
              p_warn * attacks);
  expect_ratio("preempted / attacks",
               ratio_of(
                   reps, [](const Tally& t) { return t.ambush_preempted; },
                   [](const Tally& t) { return t.ambush_attacks; }),
               p_warn);
  expect_mean("ambush KIA (overwatch)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kKia]; }),
              (1 - p_warn) * attacks * kPHit * kExposedOccupants * kPKill);
}

// Several distance hazards (§2.3): the zone's `ambush` block and entries of
// `ambushes`, each an independent Poisson process in distance. The route is
// 100 km in zone a then 100 km in zone b, both with the windows above. Zone a
// has `ambush` (r1) and "snipers" (r2); zone b has "snipers" only (r3, other
// p_hit and p_kill_given_hit: the parameters follow the zone where an ambush
// falls). Independent Poisson processes superpose, so expected attacks add:
//   E[attacks_h] = rate_h · (km in the hazard's zones per trip / 200) · 13000,
//   E[attacks] = Σ_h E[attacks_h] = Var[attacks],
//   E[KIA] = Σ_h E[attacks_h] · p_hit_h · 9.5 · p_kill_h.
// Per trip the total mean is at most (0.3 + 0.3) × 3 = 1.8 (× 3 window): a
// trip leaves its day with ≥ 14 ambushes, P < 1e-7, negligible over 200,000
// trips.
TEST(Ambush, SeveralDistanceHazardsAddUp) {
  constexpr double kR1 = 2.0 / 1000, kR2 = 1.0 / 1000, kR3 = 3.0 / 1000;
  constexpr double kPHitB = 0.1, kPKillB = 0.8;
  Scenario s = ambush_world();
  s.zones.push_back(quiet_zone("b"));
  s.zones[1].intensity = s.zones[0].intensity;
  s.routes[0].segments = {Segment{.zone = 0, .length_km = 100},
                          Segment{.zone = 1, .length_km = 100}};
  s.zones[0].ambush->per_km = kR1;
  AmbushThreat snipers_a{.per_km = kR2, .p_hit = kPHit, .p_kill_given_hit = kPKill};
  snipers_a.id = "snipers";
  AmbushThreat snipers_b{.per_km = kR3, .p_hit = kPHitB, .p_kill_given_hit = kPKillB};
  snipers_b.id = "snipers";
  s.zones[0].ambushes = {snipers_a};
  s.zones[1].ambushes = {snipers_b};
  const auto reps = run_replications(s, 777003, 4000);

  const double half = kWindowedKm / 2;  // km driven in each zone, intensity-weighted
  const double a1 = kR1 * half, a2 = kR2 * half, a3 = kR3 * half;
  const auto a = moments_of(reps, [](const Tally& t) { return t.ambush_attacks; });
  expect_mean("ambush.attacks (three hazards)", a, a1 + a2 + a3);
  expect_variance("ambush.attacks (three hazards)", a, a1 + a2 + a3);
  expect_mean("ambush KIA (three hazards)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kKia]; }),
              ((a1 + a2) * kPHit * kPKill + a3 * kPHitB * kPKillB) * kExposedOccupants);
  expect_mean("ambush WIA (three hazards)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kWia]; }),
              ((a1 + a2) * kPHit * (1 - kPKill) + a3 * kPHitB * (1 - kPKillB)) * kExposedOccupants);
  for (const auto& t : reps) ASSERT_NEAR(t.movement_km, 50 * kRouteKm, 1e-6);
}

// A second hazard changes none of the first one's ambushes: each hazard draws
// its budgets and its casualties from its own streams, so adding "snipers"
// that hit nobody (and, with no halts, delay nobody) leaves the casualties of
// `ambush` identical replication by replication and only adds attacks.
TEST(Ambush, AddingAHazardKeepsTheOtherHazardsAmbushes) {
  Scenario one = ambush_world();
  Scenario two = one;
  AmbushThreat snipers{.per_km = kPerKm / 4, .p_hit = 0, .p_kill_given_hit = 0};
  snipers.id = "snipers";  // harmless: its ambushes hit nobody
  two.zones[0].ambushes = {snipers};
  two.movements[0].halt_hours = 0;
  one.movements[0].halt_hours = 0;  // no halts: the trip's clock is the same in both
  const auto r1 = run_replications(one, 777004, 400);
  const auto r2 = run_replications(two, 777004, 400);
  int64_t extra = 0;
  for (size_t i = 0; i < r1.size(); ++i) {
    EXPECT_EQ(r2[i].by_cause[kAmbush].n, r1[i].by_cause[kAmbush].n) << "replication " << i;
    EXPECT_GE(r2[i].ambush_attacks, r1[i].ambush_attacks);
    extra += r2[i].ambush_attacks - r1[i].ambush_attacks;
  }
  EXPECT_GT(extra, 0);
}

// Convoy geometry (§2.3): the column of 3 vehicles 50 m apart is 150 m long; a
// 60 m kill zone lies at a uniformly random place along it (ends joined), so
// each vehicle is inside with probability 60 / 150 = 0.4 wherever it rides,
// and every expectation of the whole-column case is multiplied by 0.4:
//   E[KIA] = E[attacks] · p_hit · 9.5 · 0.4 · p_kill_given_hit.
// The trucks (exposure 1) and the protected vehicle (0.5, last in the column)
// weigh differently in 9.5, so a place-dependent chance would show. Attacks are
// unchanged: the geometry decides who is exposed, not whether an ambush comes.
TEST(Ambush, KillZoneExposesItsShareOfTheColumn) {
  Scenario s = ambush_world();
  s.zones[0].ambush->kill_zone_m = 60;
  s.movements[0].spacing_m = 50;
  const auto reps = run_replications(s, 777005, 4000);
  const double attacks = kPerKm * kWindowedKm;
  const double share = 60.0 / 150.0;
  expect_mean("ambush.attacks (kill zone)",
              moments_of(reps, [](const Tally& t) { return t.ambush_attacks; }), attacks);
  expect_mean("ambush KIA (kill zone)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kKia]; }),
              attacks * kPHit * kExposedOccupants * share * kPKill);
  expect_mean("ambush WIA (kill zone)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kWia]; }),
              attacks * kPHit * kExposedOccupants * share * (1 - kPKill));
}

// A kill zone as long as the column or longer, or a movement without spacing,
// exposes every vehicle: the replications are those of the whole-column world,
// draw for draw.
TEST(Ambush, KillZoneLongerThanTheColumnChangesNothing) {
  const auto plain = run_replications(ambush_world(), 777006, 300);
  Scenario longer = ambush_world();
  longer.zones[0].ambush->kill_zone_m = 150;
  longer.movements[0].spacing_m = 50;
  Scenario unspaced = ambush_world();
  unspaced.zones[0].ambush->kill_zone_m = 10;
  for (const Scenario& s : {longer, unspaced}) {
    const auto reps = run_replications(s, 777006, 300);
    for (size_t i = 0; i < reps.size(); ++i)
      for (int c = 0; c < kCauseCount; ++c)
        ASSERT_EQ(reps[i].by_cause[c].n, plain[i].by_cause[c].n) << i;
  }
}

}  // namespace
}  // namespace pk::validation
