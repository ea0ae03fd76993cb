// Contingents at load (docs/model.md §3.4): what a contingent brings to its
// movements, the learning curve, and the errors that keep one value in one place.
#include <gtest/gtest.h>

#include "scenario/loader.hpp"
#include "support.hpp"

namespace pk {
namespace {

using test::first_load_error;

const char* kTwoContingents = R"(pkrisk: 1
scenario: {name: contingents, horizon_days: 365, seed: 11}
vehicle_types:
  - {id: truck, seats: 4, blast: {p_kill: 0.25, p_wound: 0.45}}
  - {id: mrap, seats: 6, blast: {p_kill: 0.04, p_wound: 0.25}, ambush_exposure: 0.3}
zones:
  - id: a
    ied: {emplacement_per_km_day: 0.01, lifetime_days: 5, trigger_mix: {pressure: 0.6, command: 0.4}}
contingents:
  - id: north
    trained_fraction: 0.3
    night_factor: 0.5
    night_moves: false
    equipment_fill: {rate: 0.7, shortfall_type: truck}
    rotation: {first_day: 100, every_days: 180, learning_days: 60, initial_factor: 0.4}
  - id: south
sites:
  - {id: s1, zone: a, personnel: 1000, contingent: north}
  - {id: s2, zone: a, personnel: 500}
routes:
  - {id: r, from: s1, to: s2, segments: [{zone: a, length_km: 30}]}
movements:
  - id: m
    route: r
    contingent: north
    schedule: {every_hours: 24, window: {from_hour: 4, to_hour: 12}}
    speed_kmh: 30
    vehicles: [{type: mrap, count: 1, crew: 4}, {type: mrap, count: 10, crew: 2}, {type: truck, count: 3, crew: 2}]
    c_ied: {p_detect_trained: 0.6, p_detect_untrained: 0.2}
  - id: n
    route: r
    contingent: south
    schedule: {every_hours: 24}
    speed_kmh: 30
    vehicles: [{type: mrap, count: 10, crew: 2}]
    c_ied: {trained_fraction: 0.9, p_detect_trained: 0.6, night_factor: 0.8}
arms:
  - name: north_trained
    overrides:
      contingents[north].trained_fraction: 0.9
      contingents[north].equipment_fill.rate: 1
)";

TEST(Contingents, BringTheirTrainingNightCaveatAndEquipmentToTheirMovements) {
  Diagnostics d("c.yaml");
  const auto ls = load_scenario_text(kTwoContingents, d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all().front().format());
  const Scenario& s = ls->baseline();
  ASSERT_EQ(s.contingents.size(), 2u);
  const Movement& m = s.movements[0];
  EXPECT_EQ(m.contingent, 0);
  EXPECT_DOUBLE_EQ(m.c_ied.trained_fraction, 0.3);
  EXPECT_DOUBLE_EQ(m.c_ied.night_factor, 0.5);
  // The movement's window 04-12 within the daylight caveat 06-18: 06-12.
  EXPECT_DOUBLE_EQ(m.schedule.window_from, 6);
  EXPECT_DOUBLE_EQ(m.schedule.window_to, 12);
  // 1 MRAP at 0.7: round(0.7) = 1 present; 10 at 0.7: 7 present, 3 trucks
  // behind them; trucks are the shortfall type and stay as they are.
  ASSERT_EQ(m.vehicles.size(), 4u);
  EXPECT_EQ(m.vehicles[0].count, 1);
  EXPECT_EQ(m.vehicles[1].type, 1);
  EXPECT_EQ(m.vehicles[1].count, 7);
  EXPECT_EQ(m.vehicles[2].type, 0);
  EXPECT_EQ(m.vehicles[2].count, 3);
  EXPECT_EQ(m.vehicles[2].crew, 2);
  EXPECT_EQ(m.vehicles[3].count, 3);
  // A contingent that brings nothing changes nothing.
  const Movement& n = s.movements[1];
  EXPECT_EQ(n.contingent, 1);
  EXPECT_DOUBLE_EQ(n.c_ied.trained_fraction, 0.9);
  EXPECT_DOUBLE_EQ(n.c_ied.night_factor, 0.8);
  EXPECT_FALSE(n.schedule.has_window());
  EXPECT_EQ(n.vehicles[0].count, 10);
  EXPECT_EQ(s.sites[0].contingent, 0);
  EXPECT_EQ(s.sites[1].contingent, -1);

  // An arm funds one contingent's training and equipment.
  const Scenario& funded = ls->arms[1].scenario;
  EXPECT_DOUBLE_EQ(funded.movements[0].c_ied.trained_fraction, 0.9);
  ASSERT_EQ(funded.movements[0].vehicles.size(), 3u);
  EXPECT_EQ(funded.movements[0].vehicles[1].count, 10);
}

TEST(Contingents, LearningRisesLinearlyAfterEachRotation) {
  Contingent c;
  EXPECT_DOUBLE_EQ(c.learning(1000), 1);  // no rotation
  c.rotation = Contingent::Rotation{.first_hours = 100 * 24,
                                    .every_hours = 180 * 24,
                                    .learning_hours = 60 * 24,
                                    .initial_factor = 0.4};
  EXPECT_DOUBLE_EQ(c.learning(99 * 24), 1);                  // before the first rotation
  EXPECT_DOUBLE_EQ(c.learning(100 * 24), 0.4);               // the day it arrives
  EXPECT_DOUBLE_EQ(c.learning(130 * 24), 0.4 + 0.6 * 0.5);   // half way
  EXPECT_DOUBLE_EQ(c.learning(160 * 24), 1);                 // learnt
  EXPECT_DOUBLE_EQ(c.learning(280 * 24), 0.4);               // the next rotation
  EXPECT_DOUBLE_EQ(c.learning(295 * 24), 0.4 + 0.6 * 0.25);  //
  c.rotation->every_hours = 0;                               // one rotation only
  EXPECT_DOUBLE_EQ(c.learning(280 * 24), 1);
}

TEST(Contingents, OneValueInOnePlace) {
  std::string own = kTwoContingents;
  own.replace(own.find("c_ied: {p_detect_trained: 0.6, p_detect_untrained: 0.2}"), 55,
              "c_ied: {trained_fraction: 1, p_detect_trained: 0.6}");
  const std::string e = first_load_error(own);
  EXPECT_NE(e.find("t.yaml:29:"), std::string::npos) << e;
  EXPECT_NE(e.find("movements[m].c_ied.trained_fraction: is set by its contingent "
                   "(contingents[north].trained_fraction)"),
            std::string::npos)
      << e;

  std::string night = kTwoContingents;
  night.replace(night.find("from_hour: 4, to_hour: 12"), 25, "from_hour: 19, to_hour: 23");
  EXPECT_NE(first_load_error(night).find("its window has no daylight hour"), std::string::npos)
      << first_load_error(night);

  std::string seats = kTwoContingents;
  seats.replace(seats.find("{type: mrap, count: 10, crew: 2}, {type: truck"), 32,
                "{type: mrap, count: 10, crew: 6}");
  EXPECT_NE(first_load_error(seats).find("crew 6 of a missing vehicle does not fit the 4 seats"),
            std::string::npos)
      << first_load_error(seats);

  std::string unknown = kTwoContingents;
  unknown.replace(unknown.find("contingent: south"), 17, "contingent: sooth");
  EXPECT_NE(first_load_error(unknown).find("unknown contingent 'sooth' (did you mean 'south'?)"),
            std::string::npos)
      << first_load_error(unknown);
}

}  // namespace
}  // namespace pk
