// Mitigations at intermediate strengths (docs/model.md §2.1 steps 1-3, §8.6,
// §8.7): the 0/1 cases show a mitigation is wired, these show it acts in the
// right proportion. Each check is a closed form from the encounter rules.
#include <cmath>
#include <map>

#include "sim/trace.hpp"
#include "worlds.hpp"

namespace pk::validation {
namespace {

// Pressure-triggered IEDs at `per_km_day`, each living `lifetime_hours`; they
// strike the lead vehicle and open no complex attack.
IedThreat pressure_ieds(double per_km_day, double lifetime_hours) {
  return IedThreat{.emplacement_per_km_hour = per_km_day / kHoursPerDay,
                   .lifetime_hours = lifetime_hours,
                   .trigger_mix = {1, 0, 0},
                   .lead_share = 1,
                   .complex_share = 0};
}

// Derivation. Every met IED goes through the encounter steps in order. Route
// clearance finds it with p_rc; else the lead crew (untrained: trained_fraction
// 0) with p_c; else, if it is a radio IED (share r of the trigger mix), the
// jammer defeats it with p_j; else it detonates. One encounter settles each
// IED, so among the N met (N = found_rc + found_crew + jammed + detonated):
//   found_route_clearance / N = p_rc
//   found_crew / N            = (1 − p_rc) p_c
//   jammed / N                = (1 − p_rc)(1 − p_c) r p_j
//   detonated / N             = (1 − p_rc)(1 − p_c)(1 − r p_j)
// and the number met is that of docs/model.md §7 (see ied_steady_state_test):
// EOD holds and clearance speed do not change it here, because the delay is 0
// and the clearance team drives as fast as the movement.
TEST(Mitigations, ClearanceCrewAndJammerAtIntermediateStrengths) {
  const double lambda = 0.02, length = 100, tau = 4, c = 1.5, horizon = 120;
  const double p_rc = 0.25, p_c = 0.4, p_j = 0.3, radio = 0.5;

  Scenario s = quiet_world(horizon, length);
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = lambda / kHoursPerDay,
                             .lifetime_hours = tau * kHoursPerDay,
                             .trigger_mix = {1 - radio, 0, radio},
                             .lead_share = 1,
                             .complex_share = 0};
  Movement m = poisson_movement(0, c, 1e6);
  m.route_clearance = RouteClearance{.p_find = p_rc, .speed_kmh = 1e6};
  m.c_ied = CIed{.trained_fraction = 0, .p_detect_trained = 0, .p_detect_untrained = p_c};
  m.jammer = Jammer{.p_defeat = p_j};
  s.movements = {m};
  const auto reps = run_replications(s, 20261201, 4000);

  const auto met = [](const Tally& t) {
    return t.ied.found_route_clearance + t.ied.found_crew + t.ied.jammed + t.ied.detonated;
  };
  const double undetected = (1 - p_rc) * (1 - p_c);
  expect_ratio("found_route_clearance / met",
               ratio_of(
                   reps, [](const Tally& t) { return t.ied.found_route_clearance; }, met),
               p_rc);
  expect_ratio("found_crew / met",
               ratio_of(
                   reps, [](const Tally& t) { return t.ied.found_crew; }, met),
               (1 - p_rc) * p_c);
  expect_ratio("jammed / met",
               ratio_of(
                   reps, [](const Tally& t) { return t.ied.jammed; }, met),
               undetected * radio * p_j);
  expect_ratio("detonated / met",
               ratio_of(
                   reps, [](const Tally& t) { return t.ied.detonated; }, met),
               undetected * (1 - radio * p_j));

  const double mu = 1 / tau, k = c + mu;
  const double h_eff = horizon - (1 - std::exp(-k * horizon)) / k;
  const double expected_met = lambda * length * (c / k) * h_eff;
  expect_mean("ied.jammed (p_defeat 0.3)",
              moments_of(reps, [](const Tally& t) { return t.ied.jammed; }),
              expected_met * undetected * radio * p_j);
  expect_mean("ied met", moments_of(reps, met), expected_met);
}

// Derivation. The slow single movement of mines_test: it meets the mines of
// [0, v H) km, Poisson(m v H) = Poisson(24). An untrained lead crew detects
// each with p_c = 0.4 independently, so found_crew and detonated are
// independent thinned Poisson counts, means (and variances) 24 p_c and
// 24 (1 − p_c). A jammer does nothing to mines (pressure-triggered, §8.6).
// Each detonation hits the only vehicle (crew 4), killing each occupant with
// p_kill = 0.1 and wounding with p_wound = 0.25; with no MEDEVAC block every
// wounded person is WIA (§8.18): E[KIA] = 4 p_kill E[detonated], E[WIA] =
// 4 p_wound E[detonated].
TEST(Mitigations, CrewDetectionAndArmourAgainstMines) {
  const double per_km = 0.1, length = 400, speed = 5, horizon_hours = 48;
  const double p_c = 0.4, p_kill = 0.1, p_wound = 0.25;
  Scenario s = quiet_world(horizon_hours / kHoursPerDay, length);
  s.vehicle_types[0].blast = {p_kill, p_wound};
  s.zones[0].mines = MineField{.per_km = per_km};
  Movement m = periodic_movement(0, 1e6, 0, speed);
  m.c_ied = CIed{.trained_fraction = 0, .p_detect_trained = 0, .p_detect_untrained = p_c};
  m.jammer = Jammer{.p_defeat = 0.3};
  s.movements = {m};
  const auto reps = run_replications(s, 20261202, 20000);

  const double met = per_km * speed * horizon_hours;
  const auto found = moments_of(reps, [](const Tally& t) { return t.mine.found_crew; });
  expect_mean("mine.found_crew (p_detect 0.4)", found, p_c * met);
  expect_variance("mine.found_crew (p_detect 0.4)", found, p_c * met);
  const auto det = moments_of(reps, [](const Tally& t) { return t.mine.detonated; });
  expect_mean("mine.detonated (p_detect 0.4)", det, (1 - p_c) * met);
  expect_variance("mine.detonated (p_detect 0.4)", det, (1 - p_c) * met);
  expect_mean("mine KIA (p_kill 0.1)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kMine].n[kKia]; }),
              4 * p_kill * (1 - p_c) * met);
  expect_mean("mine WIA (p_wound 0.25)",
              moments_of(reps, [](const Tally& t) { return t.by_cause[kMine].n[kWia]; }),
              4 * p_wound * (1 - p_c) * met);
  for (const auto& t : reps) ASSERT_EQ(t.mine.jammed, 0);
}

// Derivation. A convoy of one armoured vehicle (the lead; p_kill 0.1, p_wound
// 0.2) and three soft ones (p_kill 0.5, p_wound 0.3), crew 4 each. A pressure
// IED hits the lead with lead_share = 0.6, otherwise a vehicle uniformly of the
// four (the lead included, §8.7): P(armoured) = 0.6 + 0.4 / 4 = 0.7. So per
// detonation E[KIA] = 4 (0.7 · 0.1 + 0.3 · 0.5) = 0.88 and E[WIA] =
// 4 (0.7 · 0.2 + 0.3 · 0.3) = 0.92 (no MEDEVAC block: wounded are WIA).
TEST(Mitigations, PartialArmourShareOfAConvoy) {
  const double lambda = 0.02, length = 100, tau = 4, c = 1.5, horizon = 120;
  const double lead_share = 0.6;
  Scenario s = quiet_world(horizon, length);
  s.vehicle_types[0].blast = {0.5, 0.3};
  s.vehicle_types.push_back(
      VehicleType{.id = "armoured", .seats = 8, .blast = {0.1, 0.2}, .ambush_exposure = 1});
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = lambda / kHoursPerDay,
                             .lifetime_hours = tau * kHoursPerDay,
                             .trigger_mix = {1, 0, 0},
                             .lead_share = lead_share,
                             .complex_share = 0};
  Movement m = poisson_movement(0, c, 1e6);
  m.vehicles = {VehicleGroup{.type = 1, .count = 1, .crew = 4},
                VehicleGroup{.type = 0, .count = 3, .crew = 4}};
  s.movements = {m};
  const auto reps = run_replications(s, 20261203, 4000);

  const double p_armoured = lead_share + (1 - lead_share) / 4;
  const auto detonated = [](const Tally& t) { return t.ied.detonated; };
  expect_ratio("IED KIA per detonation (armoured lead)",
               ratio_of(
                   reps, [](const Tally& t) { return t.by_cause[kIed].n[kKia]; }, detonated),
               4 * (p_armoured * 0.1 + (1 - p_armoured) * 0.5));
  expect_ratio("IED WIA per detonation (armoured lead)",
               ratio_of(
                   reps, [](const Tally& t) { return t.by_cause[kIed].n[kWia]; }, detonated),
               4 * (p_armoured * 0.2 + (1 - p_armoured) * 0.3));
}

// Blast beyond the struck vehicle (§2.1 step 3). The convoy of the test above
// with crew 2 in the soft vehicles, the armoured type wounding each occupant
// with p_wound_adjacent 0.3 when a neighbour is struck, the soft one 0.6. The
// column is A B B B; the occupants a strike on vehicle v wounds around it:
// v0: B = 2 · 0.6 = 1.2; v1: A + B = 4 · 0.3 + 1.2 = 2.4; v2: 2.4; v3: 1.2.
// P(v0) = 0.7, P(v1) = P(v2) = P(v3) = 0.1, so per detonation E[adjacent] =
// 0.7 · 1.2 + 0.1 · 6.0 = 1.44 on top of the struck vehicle's own wounded,
// E[WIA] = 4 · 0.7 · 0.2 + 2 · 0.3 · 0.3 + 1.44 = 2.18, and E[KIA] =
// 4 · 0.7 · 0.1 + 2 · 0.3 · 0.5 = 0.58 (no one is killed beyond the struck
// vehicle).
TEST(Mitigations, BlastWoundsTheNeighboursOfTheStruckVehicle) {
  Scenario s = quiet_world(120, 100);
  s.vehicle_types[0].blast = {0.5, 0.3, 0.6};
  s.vehicle_types.push_back(
      VehicleType{.id = "armoured", .seats = 8, .blast = {0.1, 0.2, 0.3}, .ambush_exposure = 1});
  s.zones[0].ied = IedThreat{.emplacement_per_km_hour = 0.02 / kHoursPerDay,
                             .lifetime_hours = 4 * kHoursPerDay,
                             .trigger_mix = {1, 0, 0},
                             .lead_share = 0.6,
                             .complex_share = 0};
  Movement m = poisson_movement(0, 1.5, 1e6);
  m.vehicles = {VehicleGroup{.type = 1, .count = 1, .crew = 4},
                VehicleGroup{.type = 0, .count = 3, .crew = 2}};
  s.movements = {m};
  const auto reps = run_replications(s, 20261203, 4000);

  const auto detonated = [](const Tally& t) { return t.ied.detonated; };
  expect_ratio("IED WIA per detonation with neighbours",
               ratio_of(
                   reps, [](const Tally& t) { return t.by_cause[kIed].n[kWia]; }, detonated),
               4 * 0.7 * 0.2 + 2 * 0.3 * 0.3 + 1.44);
  expect_ratio("IED KIA per detonation with neighbours",
               ratio_of(
                   reps, [](const Tally& t) { return t.by_cause[kIed].n[kKia]; }, detonated),
               4 * 0.7 * 0.1 + 2 * 0.3 * 0.5);
}

// Disposal risk (§2.1). The world of the first test, the truck's blast harmless
// (p_kill = p_wound = 0), so every IED casualty comes from disposing of a found
// device: each find (by clearance or crew) goes off with p_incident and then
// harms each of `team` people, killed with p_kill or wounded with p_wound:
//   KIA / finds = p_incident · team · p_kill,  WIA / finds = p_incident · team · p_wound
// (no MEDEVAC block: every wounded person is WIA). The disposal draws follow the
// encounter's own, so the finds are those of the world without disposal, draw for draw.
TEST(Mitigations, DisposalRiskPerFind) {
  const double p_incident = 0.2, p_kill = 0.3, p_wound = 0.4;
  const int64_t team = 3;
  Scenario s = quiet_world(120, 100);
  s.zones[0].ied = pressure_ieds(0.02, 4 * kHoursPerDay);
  Movement m = poisson_movement(0, 1.5, 1e6);
  m.route_clearance = RouteClearance{.p_find = 0.25, .speed_kmh = 1e6};
  m.c_ied = CIed{.trained_fraction = 0, .p_detect_trained = 0, .p_detect_untrained = 0.4};
  s.movements = {m};
  const auto without = run_replications(s, 20261202, 4000);
  s.movements[0].eod_disposal =
      EodDisposal{.p_incident = p_incident, .team = team, .p_kill = p_kill, .p_wound = p_wound};
  const auto reps = run_replications(s, 20261202, 4000);

  const auto finds = [](const Tally& t) { return t.ied.found_route_clearance + t.ied.found_crew; };
  expect_ratio("disposal KIA / finds",
               ratio_of(
                   reps, [](const Tally& t) { return t.by_cause[kIed].n[kKia]; }, finds),
               p_incident * static_cast<double>(team) * p_kill);
  expect_ratio("disposal WIA / finds",
               ratio_of(
                   reps, [](const Tally& t) { return t.by_cause[kIed].n[kWia]; }, finds),
               p_incident * static_cast<double>(team) * p_wound);
  for (size_t i = 0; i < reps.size(); ++i) {
    ASSERT_EQ(finds(reps[i]), finds(without[i])) << i;
    ASSERT_EQ(reps[i].ied.detonated, without[i].ied.detonated) << i;
    ASSERT_EQ(without[i].by_cause[kIed].fatalities(), 0) << i;  // strikes harm no one here
  }
}

// Clearance teams with a capacity (§8.14). One movement leaves every day at
// 06:00 for 364 days (52 weeks); one team escorts 3 departures a week, so in
// each week the first 3 departures have it and the other 4 do not:
//   escorts = 3 · 52 = 156, refused = 4 · 52 = 208, in every replication.
// IEDs live 6 hours (no older than the 06:00 departure at day 0, and gone
// before the next day's), so every departure meets devices alike, and
//   found_route_clearance / met = p_find · 156 / 364 = p_find · 3 / 7.
// The team drives as fast as the movement, so the speed does not differ.
Scenario clearance_world() {
  Scenario s = quiet_world(364, 100);
  s.zones[0].ied = pressure_ieds(0.05, 6);
  Movement m = periodic_movement(0, 24, 6, 50);
  m.route_clearance = RouteClearance{.p_find = 0.6, .speed_kmh = 50};
  s.movements = {m};
  return s;
}

TEST(Mitigations, ClearanceTeamsEscortWhatTheirWeekHolds) {
  Scenario s = clearance_world();
  s.clearance_teams = ClearanceTeams{.teams = 1, .escorts_per_week = 3};
  const auto reps = run_replications(s, 20261203, 4000);
  for (const Tally& t : reps) {
    ASSERT_EQ(t.clearance_escorts, 156);
    ASSERT_EQ(t.clearance_refused, 208);
  }
  const auto met = [](const Tally& t) {
    return t.ied.found_route_clearance + t.ied.found_crew + t.ied.jammed + t.ied.detonated;
  };
  expect_ratio("found_route_clearance / met (3 escorts a week)",
               ratio_of(
                   reps, [](const Tally& t) { return t.ied.found_route_clearance; }, met),
               0.6 * 3 / 7);
}

// Escorts counted by movement from the trace: departures "with route clearance".
struct EscortRecorder : TraceSink {
  std::map<std::string, int64_t> escorted, refused;
  void record(const TraceEvent& e) override {
    if (e.kind != "departure") return;
    const std::string id = e.detail.substr(9, e.detail.find(' ', 9) - 9);  // "movement <id> ..."
    if (e.detail.find("with route clearance") != std::string::npos) ++escorted[id];
    if (e.detail.find("no team free") != std::string::npos) ++refused[id];
  }
};

// Priority (§8.14): A (priority 1) leaves daily at 06:00, B (priority 2) daily
// at 00:00, one team escorts 10 a week. At B's departure on day k of a week
// (k = 0..6) A is expected to ask for 7 − k more escorts, so B gets one while
// more than that are left: 10 > 7, 8 > 6, 6 > 5, then 4 ≤ 4 — B is escorted
// on days 0-2 and A on all 7. With equal priorities, first come, first served:
// B and A alternate from 00:00 of day 0 and get 5 each.
TEST(Mitigations, ClearancePriorityKeepsEscortsForTheFirst) {
  const auto run = [](int64_t priority_b) {
    Scenario s = clearance_world();
    s.movements[0].id = "a";
    Movement b = periodic_movement(0, 24, 0, 50);
    b.id = "b";
    b.route_clearance = RouteClearance{.p_find = 0.6, .speed_kmh = 50, .priority = priority_b};
    s.movements.push_back(b);
    s.clearance_teams = ClearanceTeams{.teams = 1, .escorts_per_week = 10};
    Simulator sim(s);
    EscortRecorder rec;
    for (uint64_t i = 0; i < 3; ++i) {
      Tally t;
      sim.run(20261220, i, t, &rec);
      EXPECT_EQ(t.clearance_escorts + t.clearance_refused, 2 * 364);
    }
    return rec;
  };
  const EscortRecorder kept = run(2);
  EXPECT_EQ(kept.escorted.at("a"), 3 * 364);
  EXPECT_EQ(kept.escorted.at("b"), 3 * 3 * 52);
  EXPECT_EQ(kept.refused.at("b"), 3 * 4 * 52);
  EXPECT_EQ(kept.refused.count("a"), 0u);
  const EscortRecorder fcfs = run(1);
  EXPECT_EQ(fcfs.escorted.at("a"), 3 * 5 * 52);
  EXPECT_EQ(fcfs.escorted.at("b"), 3 * 5 * 52);
}

// Enough escorts for every departure, or no clearance_teams block: the same
// replications, draw for draw, and every departure escorted.
TEST(Mitigations, ClearanceTeamsThatSufficeChangeNothing) {
  const auto unlimited = run_replications(clearance_world(), 20261204, 300);
  Scenario s = clearance_world();
  s.clearance_teams = ClearanceTeams{.teams = 2, .escorts_per_week = 4};
  const auto reps = run_replications(s, 20261204, 300);
  for (size_t i = 0; i < reps.size(); ++i) {
    ASSERT_EQ(unlimited[i].clearance_escorts, 364) << i;
    ASSERT_EQ(reps[i].clearance_escorts, 364) << i;
    ASSERT_EQ(reps[i].clearance_refused, 0) << i;
    ASSERT_EQ(reps[i].ied.found_route_clearance, unlimited[i].ied.found_route_clearance) << i;
    ASSERT_EQ(reps[i].ied.detonated, unlimited[i].ied.detonated) << i;
  }
}

// The clearance element in the column (§2.1). The team finds nothing
// (p_find 0), so every device met strikes; the movement's truck is never hurt
// (quiet_world's blast is 0) and the team's vehicle kills each of its 2 crew
// with 0.5 and wounds with 0.3. Lifetimes of 6 h make every departure meet
// devices alike (see clearance_world), so:
//   pressure, lead_share 1, every departure escorted: killed / strike = 2 × 0.5;
//   3 escorts a week (156 of 364 departures):          killed / strike = 156/364 × 2 × 0.5,
//     less the first departure's shortfall: at 06:00 of day 0 the road holds
//     1 − e^−1 of the stock the others meet, so the share is (156 − e^−1) / (364 − e^−1);
//   command devices, column of 1 team vehicle + 1 truck: killed / strike = 1/2 × 2 × 0.5;
// and an ambush (p_hit 0.4, p_kill 0.5) on the column of the team vehicle
// (exposure 0.25, crew 2) and the truck (crew 4) kills on average
//   0.4 × 0.5 × (2 × 0.25 + 4) = 0.9 per attack (0.8 without the team's vehicle).
TEST(Mitigations, TheClearanceElementTakesTheStrikesItMisses) {
  const auto world = [](std::array<double, kTriggerCount> mix) {
    Scenario s = clearance_world();
    s.zones[0].ied->trigger_mix = mix;
    s.vehicle_types.push_back(
        VehicleType{.id = "husky", .seats = 2, .blast = {0.5, 0.3}, .ambush_exposure = 0.25});
    s.movements[0].route_clearance->p_find = 0;
    s.movements[0].route_clearance->vehicles = {VehicleGroup{.type = 1, .count = 1, .crew = 2}};
    return s;
  };
  const auto per_strike = [](const std::vector<Tally>& reps, Outcome o) {
    return ratio_of(
        reps, [o](const Tally& t) { return t.by_cause[kIed].n[static_cast<int>(o)]; },
        [](const Tally& t) { return t.ied.detonated; });
  };
  const auto escorted = run_replications(world({1, 0, 0}), 20261205, 1000);
  expect_ratio("killed / strike (team leads)", per_strike(escorted, Outcome::kKia), 1.0);
  expect_ratio("wounded / strike (team leads)", per_strike(escorted, Outcome::kWia), 0.6);

  Scenario limited = world({1, 0, 0});
  limited.clearance_teams = ClearanceTeams{.teams = 1, .escorts_per_week = 3};
  expect_ratio("killed / strike (3 escorts a week)",
               per_strike(run_replications(limited, 20261206, 3000), Outcome::kKia),
               (156 - std::exp(-1.0)) / (364 - std::exp(-1.0)));

  expect_ratio("killed / strike (command devices, uniform over the column)",
               per_strike(run_replications(world({0, 1, 0}), 20261207, 2000), Outcome::kKia), 0.5);

  Scenario ambushed = world({1, 0, 0});
  ambushed.zones[0].ied.reset();
  ambushed.zones[0].ambush = AmbushThreat{.per_km = 0.01, .p_hit = 0.4, .p_kill_given_hit = 0.5};
  const auto killed_per_attack = [](const std::vector<Tally>& reps) {
    return ratio_of(
        reps, [](const Tally& t) { return t.by_cause[kAmbush].n[kKia]; },
        [](const Tally& t) { return t.ambush_attacks; });
  };
  expect_ratio("ambush killed / attack (team's vehicle in the column)",
               killed_per_attack(run_replications(ambushed, 20261208, 1000)), 0.9);
  ambushed.movements[0].route_clearance->vehicles.clear();
  expect_ratio("ambush killed / attack (team never struck)",
               killed_per_attack(run_replications(ambushed, 20261208, 1000)), 0.8);
}

// Detection by time of day (§2.1). Poisson departures (1.5 a day) are spread
// evenly over the clock and the movement is so fast (10^6 km/h) that it meets
// its IEDs at its departure time: half the encounters fall at night
// (18:00-06:00), where the crew detects with p_c · night_factor. IEDs arrive and
// are met at rates that do not depend on the hour, so
//   found_crew / met = p_c · (1/2 + night_factor / 2).
// (A night_factor of 1, the default, multiplies by exactly 1: the regression
// references of the shipped scenarios hold bit for bit.)
TEST(Mitigations, CrewDetectionAtNight) {
  const double p_c = 0.6, night = 0.25;
  Scenario s = quiet_world(240, 100);
  s.zones[0].ied = pressure_ieds(0.02, 4 * kHoursPerDay);
  Movement m = poisson_movement(0, 1.5, 1e6);
  m.c_ied = CIed{.trained_fraction = 0,
                 .p_detect_trained = 0,
                 .p_detect_untrained = p_c,
                 .night_factor = night};
  s.movements = {m};
  const auto reps = run_replications(s, 20261205, 4000);
  const auto met = [](const Tally& t) { return t.ied.found_crew + t.ied.detonated; };
  expect_ratio("found_crew / met (night factor 0.25)",
               ratio_of(
                   reps, [](const Tally& t) { return t.ied.found_crew; }, met),
               p_c * (0.5 + 0.5 * night));
}

// Departure windows (§8.12), with crews blind at night (night_factor 0) and a
// movement so fast (10^6 km/h) that it meets its IEDs at its departure time.
// Periodic: due daily at 20:00, each departure waits for the next 06:00, so all
// of them leave in daylight — found_crew / met = p_c — and the last one, due at
// 20:00 of day 364, would leave after the horizon: 365 due, 364 leave.
// Poisson (1.5 a day, 240 days): the process keeps its own clock, so the
// departures are those due, less the ones due after 18:00 of the last day
// (they would wait past the horizon): E = 1.5 · 240 − 1.5 · 6/24.
TEST(Mitigations, DepartureWindowsHoldDeparturesForTheirOpening) {
  const double p_c = 0.6;
  const auto world = [&](const Movement& m) { return night_blind_crew_world(m, p_c); };
  const auto found_share = crew_found_share;
  Movement evening = periodic_movement(0, 24, 20, 1e6);
  const auto at_night = run_replications(world(evening), 20261207, 400);
  for (const Tally& t : at_night) ASSERT_EQ(t.ied.found_crew, 0);  // blind at 20:00
  evening.schedule.window_from = 6;
  evening.schedule.window_to = 18;
  const auto held = run_replications(world(evening), 20261207, 2000);
  for (const Tally& t : held) ASSERT_EQ(t.departures, 364);
  expect_ratio("found_crew / met (departures held for 06:00)", found_share(held), p_c);

  Movement any_hour = poisson_movement(0, 1.5, 1e6);
  any_hour.schedule.window_from = 6;
  any_hour.schedule.window_to = 18;
  Scenario s = world(any_hour);
  s.horizon_hours = 240 * kHoursPerDay;
  const auto poisson = run_replications(s, 20261208, 4000);
  expect_mean("departures (Poisson, window 06-18)",
              moments_of(poisson, [](const Tally& t) { return t.departures; }),
              1.5 * 240 - 1.5 * 6 / 24);
  expect_ratio("found_crew / met (Poisson, window 06-18)", found_share(poisson), p_c);
}

}  // namespace
}  // namespace pk::validation
