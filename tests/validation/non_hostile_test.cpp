// Road accidents and illness (docs/model.md §2.8) against their closed forms:
// crashes are Poisson in vehicle-km weighted by accident_factor and by the
// night factor, and not scaled by the zone's threat intensity; illness is
// Poisson in personnel-time, each case fatal with case_fatality.
#include <cmath>

#include "worlds.hpp"

namespace pk::validation {
namespace {

constexpr int kCrash = static_cast<int>(Cause::kRoadAccident);
constexpr int kIll = static_cast<int>(Cause::kIllness);

// A 100 km route: 50 km in z0 (200 crashes per million vehicle-km, ×3 at night,
// and a threat intensity of 5 all year, which must not touch crashes), then
// 50 km in z1 (100 per million, no night factor). One departure a day at 04:00
// at 25 km/h: z0 is driven 04:00-06:00 (night), z1 06:00-08:00 (day). Two
// trucks (factor 1, crew 1) and an MRAP (factor 2.5, crew 5); every occupant
// of a crashed vehicle is killed.
Scenario crash_world() {
  Scenario s = quiet_world(365, 100);
  s.vehicle_types.push_back(
      VehicleType{.id = "mrap", .seats = 8, .blast = {0, 0}, .accident_factor = 2.5});
  s.zones.push_back(quiet_zone("z1"));
  s.zones[0].intensity = {window_days(0, 365, 5)};
  s.zones[0].road_accidents =
      RoadAccidents{.per_vehicle_km = 200e-6, .night_factor = 3, .p_kill = 1, .p_wound = 0};
  s.zones[1].road_accidents =
      RoadAccidents{.per_vehicle_km = 100e-6, .night_factor = 1, .p_kill = 1, .p_wound = 0};
  s.routes[0].segments = {Segment{.zone = 0, .length_km = 50}, Segment{.zone = 1, .length_km = 50}};
  Movement m = periodic_movement(0, 24, 4, 25);
  m.vehicles = {VehicleGroup{.type = 0, .count = 2, .crew = 1},
                VehicleGroup{.type = 1, .count = 1, .crew = 5}};
  s.movements = {m};
  return s;
}

// Per trip: Σa = 2 × 1 + 2.5 = 4.5 weighted vehicles; 50 km × 200e-6 × 3 at
// night plus 50 km × 100e-6 by day: 4.5 × (0.03 + 0.005) = 0.1575 crashes; 365
// trips. A Poisson count: the variance equals the mean.
TEST(NonHostile, CrashesArePoissonInWeightedVehicleKmAndNight) {
  const auto reps = run_replications(crash_world(), 20261203, 1000);
  const double expected = 365 * 4.5 * (50 * 200e-6 * 3 + 50 * 100e-6);
  const Moments crashes = moments_of(reps, [](const Tally& t) { return t.road_accidents; });
  expect_mean("crashes per year", crashes, expected);
  expect_variance("crashes per year", crashes, expected);
  // The crashed vehicle is drawn by weight: an MRAP (2.5 of 4.5) kills 5, a truck 1.
  expect_ratio("killed per crash",
               ratio_of(
                   reps, [](const Tally& t) { return t.by_cause[kCrash].n[kKia]; },
                   [](const Tally& t) { return t.road_accidents; }),
               (2 * 1 + 2.5 * 5) / 4.5);
  for (const Tally& t : reps) {
    EXPECT_EQ(t.by_cause[kCrash].n[kKia], t.by_movement[0].n[kKia]);
    EXPECT_EQ(t.total().fatalities(), t.by_cause[kCrash].fatalities());
  }
}

// The injured go through MEDEVAC like the wounded of an attack (§3.3): with a
// dow_curve of 1 everywhere each of them dies of wounds.
TEST(NonHostile, TheInjuredOfACrashGoThroughMedevac) {
  Scenario s = crash_world();
  for (Zone& z : s.zones) z.road_accidents->p_kill = 0, z.road_accidents->p_wound = 1;
  s.medevac = Medevac{.helicopters = 1,
                      .dispatch_hours = 0,
                      .flight_hours = 1,
                      .night_flying = true,
                      .max_wait_hours = 2,
                      .ground_evac_hours = 3,
                      .dow_curve = {{0, 1}, {10, 1}}};
  const auto reps = run_replications(s, 7, 50);
  int64_t crashes = 0, died = 0;
  for (const Tally& t : reps) {
    crashes += t.road_accidents;
    died += t.by_cause[kCrash].n[kDow];
    EXPECT_EQ(t.by_cause[kCrash].n[kKia], 0);
    EXPECT_EQ(t.by_cause[kCrash].n[kWia], 0);
    EXPECT_EQ(t.medevac_requests, t.road_accidents);
  }
  EXPECT_GT(crashes, 0);
  EXPECT_GT(died, crashes);  // an MRAP crash injures 5
}

// Crashes hold nothing and draw from their own streams: ambushes on the same
// movements are the same, replication by replication, with and without them.
TEST(NonHostile, CrashesLeaveTheOtherThreatsDrawForDraw) {
  Scenario without = crash_world();
  for (Zone& z : without.zones) {
    z.road_accidents.reset();
    z.ambush = AmbushThreat{.per_km = 0.01, .p_hit = 0.3, .p_kill_given_hit = 0.5};
  }
  Scenario with = without;
  with.zones[0].road_accidents = crash_world().zones[0].road_accidents;
  const auto a = run_replications(without, 11, 100), b = run_replications(with, 11, 100);
  int64_t crashes = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].ambush_attacks, b[i].ambush_attacks) << i;
    EXPECT_EQ(a[i].by_cause[kAmbush].n, b[i].by_cause[kAmbush].n) << i;
    crashes += b[i].road_accidents;
    EXPECT_EQ(a[i].road_accidents, 0);
  }
  EXPECT_GT(crashes, 0);
}

// Illness: site a (500 people, zone z0 with 20 serious cases per 1,000
// person-years, 10% fatal) over a year: 10 cases, 1 death a year, Poisson both;
// site b in z1, without illness, has none. Not scaled by intensity (×5 in z0).
TEST(NonHostile, IllnessIsPoissonInPersonnelTime) {
  Scenario s = quiet_world(365, 100);
  s.zones.push_back(quiet_zone("z1"));
  s.sites[1].zone = 1;
  s.zones[0].intensity = {window_days(0, 365, 5)};
  s.zones[0].illness = Illness{.per_person_hour = 20.0 / 1000 / (365 * 24), .case_fatality = 0.1};
  const auto reps = run_replications(s, 20261204, 4000);
  const Moments cases = moments_of(reps, [](const Tally& t) { return t.illness_cases; });
  expect_mean("illness cases per year", cases, 10);
  expect_variance("illness cases per year", cases, 10);
  const Moments deaths =
      moments_of(reps, [](const Tally& t) { return t.by_cause[kIll].fatalities(); });
  expect_mean("illness deaths per year", deaths, 1);
  expect_variance("illness deaths per year", deaths, 1);
  for (const Tally& t : reps) {
    EXPECT_EQ(t.by_site[0].n[kDow], t.by_cause[kIll].n[kDow]);
    EXPECT_EQ(t.by_site[1].fatalities(), 0);
    EXPECT_EQ(t.by_cause[kIll].n[kKia] + t.by_cause[kIll].n[kWia], 0);
  }
}

// Evacuated illness (§2.8). Site a as above (10 cases a year, 10% fatal), half
// of the cases evacuated; case_fatality observed at 4 hours to care; dow_curve
// linear (T / 10). By ground in 2 hours an evacuated case dies with
// 0.1 × 0.2 / 0.4 = 0.05: deaths a year 5 × 0.1 + 5 × 0.05 = 0.75, Poisson
// (both streams of cases are); MEDEVAC requests 5 a year. Flown in 1 hour:
// 0.1 × 0.1 / 0.4 = 0.025, deaths 0.5 + 0.125 = 0.625. Cases stay 10 a year,
// and no case is counted as wounded or killed at the scene.
TEST(NonHostile, EvacuatedIllnessDiesWithItsTimeToCare) {
  Scenario s = quiet_world(365, 100);
  s.zones.push_back(quiet_zone("z1"));
  s.sites[1].zone = 1;
  s.zones[0].illness = Illness{.per_person_hour = 20.0 / 1000 / (365 * 24),
                               .case_fatality = 0.1,
                               .evacuated_share = 0.5,
                               .case_fatality_at_hours = 4};
  s.medevac = Medevac{.helicopters = 0, .ground_evac_hours = 2, .dow_curve = {{0, 0}, {10, 1}}};
  const auto deaths_of = [](const Tally& t) { return t.by_cause[kIll].fatalities(); };
  const auto by_ground = run_replications(s, 20261205, 4000);
  const Moments cases = moments_of(by_ground, [](const Tally& t) { return t.illness_cases; });
  expect_mean("illness cases per year, half evacuated", cases, 10);
  expect_variance("illness cases per year, half evacuated", cases, 10);
  const Moments ground_deaths = moments_of(by_ground, deaths_of);
  expect_mean("illness deaths per year, evacuated by ground", ground_deaths, 0.75);
  expect_variance("illness deaths per year, evacuated by ground", ground_deaths, 0.75);
  expect_mean("MEDEVAC requests per year",
              moments_of(by_ground, [](const Tally& t) { return t.medevac_requests; }), 5);
  for (const Tally& t : by_ground) {
    EXPECT_EQ(t.by_cause[kIll].n[kKia] + t.by_cause[kIll].n[kWia], 0);
    EXPECT_EQ(t.by_site[0].n[kDow], t.by_cause[kIll].n[kDow]);
  }
  s.medevac->helicopters = 100;
  s.medevac->night_flying = true;
  s.medevac->flight_hours = 1;
  const Moments flown_deaths = moments_of(run_replications(s, 20261205, 4000), deaths_of);
  expect_mean("illness deaths per year, evacuated by air", flown_deaths, 0.625);
}

// The largest rate the key allows (10^6 per 1,000 person-years) on 1,000
// people: 10^6 cases a year, drawn as two Poisson counts, not one by one.
TEST(NonHostile, IllnessAtTheLargestRateIsStillPoisson) {
  Scenario s = quiet_world(365, 100);
  s.zones[0].illness = Illness{.per_person_hour = 1e6 / 1000 / (365 * 24), .case_fatality = 0.25};
  const auto reps = run_replications(s, 3, 4000);
  const Moments cases = moments_of(reps, [](const Tally& t) { return t.illness_cases; });
  expect_mean("illness cases, largest rate", cases, 1e6);
  expect_variance("illness cases, largest rate", cases, 1e6);
  const Moments deaths =
      moments_of(reps, [](const Tally& t) { return t.by_cause[kIll].fatalities(); });
  expect_mean("illness deaths, largest rate", deaths, 2.5e5);
}

// MEDEVAC sorties crash (§2.8): indirect fire wounds people at both camps at
// every hour; helicopters enough never to run short, each sortie 1 h. By day a
// sortie crashes with 1 − e^(−r) = 0.1, at night with 1 − e^(−3r) = 0.271:
// 0.1855 of sorties over a flat day. Everyone aboard dies (p_kill 1): the
// patients leave the IDF's wounded for the air accident's killed, with 3 crew.
Scenario air_world(int64_t helicopters, double p_kill) {
  Scenario s = quiet_world(365, 100);
  s.zones[0].idf = IdfThreat{.per_site_hour = 0.2 / kHoursPerDay,
                             .mean_rounds = 1,
                             .p_effective = 1,
                             .casualties_per_round = 2,
                             .kill_share = 0};
  s.medevac = Medevac{
      .helicopters = helicopters,
      .dispatch_hours = 0,
      .flight_hours = 1,
      .night_flying = true,
      .max_wait_hours = 1,
      .ground_evac_hours = 3,
      .dow_curve = {{0, 0}, {10, 0}},
      .accidents = AirAccidents{
          .per_flight_hour = -std::log(0.9), .night_factor = 3, .crew = 3, .p_kill = p_kill}};
  return s;
}

TEST(NonHostile, MedevacSortiesCrashAtTheirRateByDayAndNight) {
  const auto reps = run_replications(air_world(10000, 1), 5, 1000);
  expect_ratio("crashes per sortie",
               ratio_of(
                   reps, [](const Tally& t) { return t.air_accidents; },
                   [](const Tally& t) { return t.medevac_requests; }),
               0.5 * 0.1 + 0.5 * (1 - std::pow(0.9, 3)));
  constexpr int kAir = static_cast<int>(Cause::kAirAccident);
  for (const Tally& t : reps) {
    // All wounded were flown: those killed aboard are the air accident's, with the crews.
    const int64_t patients_killed = t.by_cause[kAir].n[kKia] - 3 * t.air_accidents;
    EXPECT_GE(patients_killed, t.air_accidents);  // every request carries one wounded at least
    EXPECT_EQ(t.by_cause[kIdf].n[kKia] + t.by_cause[kIdf].n[kDow], 0);
    EXPECT_EQ(t.by_site[0].n[kKia] + t.by_site[1].n[kKia], patients_killed);
  }
}

// One helicopter: the first crash loses it, and every later request goes by
// ground; with p_kill 0 nobody dies, but the helicopter is still lost.
TEST(NonHostile, ACrashedHelicopterDoesNotComeBack) {
  const auto reps = run_replications(air_world(1, 0), 9, 200);
  int64_t crashed = 0;
  for (const Tally& t : reps) {
    EXPECT_LE(t.air_accidents, 1);
    crashed += t.air_accidents;
    EXPECT_EQ(t.total().fatalities(), 0);
    if (t.air_accidents == 1) {
      EXPECT_GT(t.medevac_ground, 0);
    }
  }
  EXPECT_GT(crashed, 150);  // ~146 requests a year: a crash within the year is near certain
}

}  // namespace
}  // namespace pk::validation
