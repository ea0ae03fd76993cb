// The load-time guards against inputs that pass validation but never finish
// or mean nothing (docs/model.md §9.2): the work estimate per process and
// summed, the state in memory, casualties against the people present, crews
// against the personnel, grids too large to sweep, and errors that point at
// the key that causes them, not at the top of the file.
#include <gtest/gtest.h>

#include <string>

#include "scenario/loader.hpp"
#include "scenario/work_limits.hpp"
#include "support.hpp"

namespace pk {
namespace {

using test::first_load_error;

// One zone with every site threat, one route, one convoy; line numbers below
// count from `pkrisk: 1` as line 1.
const std::string kBase = R"(pkrisk: 1
scenario: {name: t, horizon_days: 365, seed: 7, replications: 20}
vehicle_types:
  - {id: truck, seats: 4, blast: {p_kill: 0.2, p_wound: 0.5}}
zones:
  - id: z
    ied: {emplacement_per_km_day: 0.002, lifetime_days: 5, trigger_mix: {pressure: 1}}
    ambush: {per_1000km: 1, p_hit: 0.1, p_kill_given_hit: 0.3}
    idf: {per_site_day: 0.02, mean_rounds: 2, p_effective: 0.5, casualties_per_round: 1, kill_share: 0.2}
    vbied: {per_site_year: 0.5, casualties_stopped: 1, casualties_breach: 8, kill_share: 0.4}
    intensity: [{from_day: 0, to_day: 100, factor: 1.5}]
sites:
  - {id: a, zone: z, personnel: 300}
  - {id: b, zone: z, personnel: 200}
routes:
  - {id: ab, from: a, to: b, segments: [{zone: z, length_km: 60}]}
movements:
  - id: supply
    route: ab
    schedule: {every_hours: 48, first_hour: 6}
    speed_kmh: 30
    round_trip: true
    vehicles: [{type: truck, count: 5, crew: 2}]
)";

TEST(WorkLimits, BaseScenarioLoadsAndIsCheap) {
  Diagnostics d("t.yaml");
  const auto ls = load_scenario_text(kBase, d);
  ASSERT_TRUE(ls) << first_load_error(kBase);
  const WorkEstimate e = estimate_work(ls->baseline());
  EXPECT_GT(e.events, 100);
  EXPECT_LT(e.work, 1e6);
  EXPECT_LT(e.bytes, 1e7);
}

TEST(WorkLimits, TinyIntervalPointsAtEveryHoursNotTheTopOfTheFile) {
  const std::string e =
      first_load_error(test::with_replaced(kBase, "every_hours: 48", "every_hours: 5e-324"));
  EXPECT_NE(e.find("t.yaml:20:"), std::string::npos) << e;
  EXPECT_NE(e.find("movements[supply].schedule.every_hours"), std::string::npos) << e;
  EXPECT_NE(e.find("events in each replication"), std::string::npos) << e;
}

TEST(WorkLimits, IntensityFactorIsBlamedWhenItMakesTheExcess) {
  std::string text = test::with_replaced(kBase, "factor: 1.5", "factor: 1000");
  text = test::with_replaced(text, "emplacement_per_km_day: 0.002", "emplacement_per_km_day: 0.5");
  const std::string e = first_load_error(text);
  EXPECT_NE(e.find("t.yaml:11:"), std::string::npos) << e;
  EXPECT_NE(e.find("zones[z].intensity[0].factor: IED emplacement in zone z"), std::string::npos)
      << e;
}

TEST(WorkLimits, JitterWiderThanTheIntervalCountsTheDeparturesDrawnUpFront) {
  // No wider than the horizon of a century, but the departures every 0.01 h
  // from the horizon's last 100 hours: the 44 million due in the half jitter
  // after it are drawn up front.
  const std::string e = first_load_error(
      test::with_replaced(test::with_replaced(kBase, "horizon_days: 365", "horizon_days: 36500"),
                          "every_hours: 48, first_hour: 6",
                          "every_hours: 0.01, first_hour: 875900, jitter_hours: 876000"));
  EXPECT_NE(e.find("movements[supply].schedule.jitter_hours"), std::string::npos) << e;
  EXPECT_NE(e.find("MB at once"), std::string::npos) << e;
}

TEST(WorkLimits, OccupantsOfAHugeConvoyCountPerAmbush) {
  std::string text = test::with_replaced(kBase, "count: 5, crew: 2", "count: 100000, crew: 2");
  text = test::with_replaced(text, "personnel: 300", "personnel: 300000");
  text = test::with_replaced(text, "every_hours: 48", "every_hours: 1");
  const std::string e = first_load_error(text);
  EXPECT_NE(e.find("t.yaml:23:"), std::string::npos) << e;
  EXPECT_NE(e.find("movements[supply].vehicles: one replication would take about"),
            std::string::npos)
      << e;
}

TEST(WorkLimits, ProcessesWithinTheirLimitsAreSummed) {
  // Each movement alone is well within the per-process limit; 100 are not.
  std::string movements;
  for (int i = 0; i < 100; ++i)
    movements += "  - {id: m" + std::to_string(i) +
                 ", route: ab, schedule: {every_hours: 0.05}, speed_kmh: 30, round_trip: true, "
                 "vehicles: [{type: truck, count: 5, crew: 2}]}\n";
  const std::string one = kBase + movements.substr(0, movements.find('\n') + 1);
  EXPECT_EQ(first_load_error(one), "");
  const std::string e = first_load_error(kBase + movements);
  EXPECT_NE(e.find("one replication would take about"), std::string::npos) << e;
}

TEST(WorkLimits, QuadraticMineFieldIsRefused) {
  std::string text =
      test::with_replaced(kBase, "    ambush:", "    mines: {per_km: 100}\n    ambush:");
  text = test::with_replaced(text, "length_km: 60", "length_km: 40000");
  const std::string e = first_load_error(text);
  EXPECT_NE(e.find("zones[z].mines.per_km: one replication would take about"), std::string::npos)
      << e;
}

// An adversary block (line 24) and `n` arms that slow the convoy.
std::string with_adversary(const std::string& pilot, int n) {
  std::string text = kBase + "adversary: {displacement_elasticity: 1" + pilot + "}\n";
  if (n > 0) text += "arms:\n";
  for (int i = 0; i < n; ++i)
    text += "  - name: slow" + std::to_string(i) +
            "\n    overrides:\n      movements[supply].speed_kmh: " + std::to_string(10 + i) + "\n";
  return text;
}

TEST(WorkLimits, AdversaryPilotCountsTheBaselineAndEveryArm) {
  // About 3,300 units a replication: a million of the baseline and one arm
  // are within the pilot's limit, of the baseline and three arms not.
  const std::string million = ", pilot_replications: 1000000";
  EXPECT_EQ(first_load_error(with_adversary(million, 1)), "");
  EXPECT_EQ(first_load_error(with_adversary(million, 0)), "");  // no arms: no pilot
  EXPECT_EQ(first_load_error(with_adversary("", 3)), "");       // the default 2,000
  const std::string e = first_load_error(with_adversary(million, 3));
  EXPECT_NE(e.find("t.yaml:24:"), std::string::npos) << e;
  EXPECT_NE(e.find("adversary.pilot_replications: the adversary's pilot would take about 1.33e+10 "
                   "units of work: 1000000 replications of the baseline and of each of its 3 "
                   "arms, at about 3.31e+03 a replication of the baseline (limit 10000000000"),
            std::string::npos)
      << e;
}

TEST(WorkLimits, AdversaryPilotOfAnArmCostlierThanTheBaselineIsRefusedThere) {
  std::string text = with_adversary(", pilot_replications: 1000000", 0);
  text +=
      "arms:\n  - name: busy\n    overrides:\n      movements[supply].schedule.every_hours: 4\n";
  const std::string e = first_load_error(text);
  EXPECT_NE(e.find("t.yaml:24:"), std::string::npos) << e;
  EXPECT_NE(e.find("arms[busy]: adversary.pilot_replications: the adversary's pilot would take"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("a replication of this arm"), std::string::npos) << e;
}

TEST(WorkLimits, SweepPointsAreNotHeldToThePilotTheyNeverRun) {
  // The pilot runs once, on the file as written; a point twelve times as
  // costly would be over its limit.
  const std::string text =
      with_adversary(", pilot_replications: 1000000", 1) +
      "sweep:\n  parameters:\n    - {path: 'movements[supply].schedule.every_hours', values: [48, "
      "4]}\n";
  EXPECT_EQ(first_load_error(text), "");
}

TEST(Values, CasualtiesOfOneEventAtMostThePeoplePresent) {
  std::string e = first_load_error(
      test::with_replaced(kBase, "casualties_breach: 8", "casualties_breach: 250"));
  EXPECT_NE(e.find("t.yaml:10:"), std::string::npos) << e;
  EXPECT_NE(e.find("exceed the 200 personnel of site 'b'"), std::string::npos) << e;
  e = first_load_error(
      test::with_replaced(kBase, "casualties_per_round: 1", "casualties_per_round: 301"));
  EXPECT_NE(e.find("zones[z].idf.casualties_per_round: mean casualties of one round"),
            std::string::npos)
      << e;
  EXPECT_EQ(first_load_error(
                test::with_replaced(kBase, "casualties_breach: 8", "casualties_breach: 200")),
            "");
}

TEST(Values, OverflowingValuesAreOutOfRange) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"casualties_breach: 8", "casualties_breach: 1e19"},
           {"casualties_breach: 8", "casualties_breach: 1e308"},
           {"casualties_per_round: 1", "casualties_per_round: 1e308"},
           {"factor: 1.5", "factor: 1e308"},
           {"speed_kmh: 30", "speed_kmh: 1e-300"},
           {"length_km: 60", "length_km: 1e308"},
           {"first_hour: 6", "first_hour: 1e308, jitter_hours: 1e12"}}) {
    const std::string e = first_load_error(test::with_replaced(kBase, from, to));
    EXPECT_NE(e.find("must be in"), std::string::npos) << to << ": " << e;
  }
}

// A jitter wider than the horizon would pull departures due after it into it
// (docs/model.md §8.12); the horizon itself is allowed, and an arm that
// widens the jitter past the horizon is refused the same way.
TEST(Values, JitterAtMostTheHorizon) {
  const auto with_jitter = [](const std::string& jitter) {
    return test::with_replaced(kBase, "first_hour: 6", "first_hour: 6, jitter_hours: " + jitter);
  };
  EXPECT_EQ(first_load_error(with_jitter("8760")), "");
  const std::string e = first_load_error(with_jitter("8761"));
  EXPECT_NE(e.find("t.yaml:20:62: error: movements[supply].schedule.jitter_hours: must be at most "
                   "the horizon, 8760 hours (365 days), got 8761"),
            std::string::npos)
      << e;
  const std::string arm = first_load_error(with_jitter("5000") +
                                           "arms:\n  - name: wide\n    overrides:\n      "
                                           "movements[supply].schedule.jitter_hours: 9000\n");
  EXPECT_NE(arm.find("arms[wide]: movements[supply].schedule.jitter_hours: must be at most the "
                     "horizon, 8760 hours (365 days), got 9000"),
            std::string::npos)
      << arm;
}

TEST(Values, CrewsAtMostThePersonnelOfTheMission) {
  const std::string e =
      first_load_error(test::with_replaced(kBase, "count: 5, crew: 2", "count: 1000, crew: 4"));
  EXPECT_NE(e.find("t.yaml:23:"), std::string::npos) << e;
  EXPECT_NE(e.find("crews (4000 people) exceed the personnel of the mission (500)"),
            std::string::npos)
      << e;
}

TEST(Values, GridLargerThanASweepTakesIsRefusedAtLoad) {
  std::string sweep = "sweep:\n  parameters:\n";
  const std::pair<const char*, int> axes[] = {{"ambush.p_hit", 1000000},
                                              {"ambush.p_kill_given_hit", 1000000},
                                              {"idf.p_effective", 1000000},
                                              {"idf.kill_share", 2}};
  for (const auto& [key, steps] : axes)
    sweep += "    - {path: 'zones[z]." + std::string(key) +
             "', range: {from: 0, to: 0.2, steps: " + std::to_string(steps) + "}}\n";
  const std::string e = first_load_error(kBase + sweep);
  EXPECT_NE(e.find("sweep.parameters: the grid has 2e+18 points"), std::string::npos) << e;
}

}  // namespace
}  // namespace pk
